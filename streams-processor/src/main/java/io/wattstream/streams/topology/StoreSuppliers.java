package io.wattstream.streams.topology;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/** In-memory or RocksDB store suppliers; either way every store is backed by its changelog topic. */
record StoreSuppliers(boolean inMemory) {

    KeyValueBytesStoreSupplier keyValue(String name) {
        return inMemory ? Stores.inMemoryKeyValueStore(name) : Stores.persistentKeyValueStore(name);
    }

    WindowBytesStoreSupplier window(String name, Duration retention, Duration size) {
        return inMemory ? Stores.inMemoryWindowStore(name, retention, size, false)
                : Stores.persistentWindowStore(name, retention, size, false);
    }
}
