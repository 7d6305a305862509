package io.wattstream.query.live;

import io.wattstream.model.Device;
import io.wattstream.model.Topics;
import java.util.Map;
import java.util.Optional;

/**
 * The device registry: a local table of the compacted {@code shelly.devices} topic (every instance
 * holds the whole registry) and its writer; an entry's device id is its record key.
 */
public final class DeviceRegistry implements AutoCloseable {

    private final TopicTable<Device> table;

    public DeviceRegistry(String bootstrap, TopicWriter writer) {
        table = new TopicTable<>(bootstrap, Topics.DEVICES, writer, "device registry", (key, d) -> d.withId(key));
    }

    public Optional<Device> get(String deviceId) {
        return table.get(deviceId);
    }

    public Map<String, Device> all() {
        return table.all();
    }

    /** Writes the entry; returns once acknowledged ({@code acks=all}) and visible to {@link #get}. */
    public Device put(Device device) {
        return table.put(device.deviceId(), device);
    }

    @Override
    public void close() {
        table.close();
    }
}
