package io.wattstream.query.live;

import io.wattstream.model.Device;
import io.wattstream.model.Topics;
import java.util.Map;
import java.util.Optional;

/** The device registry: the compacted {@code shelly.devices} topic, read whole by every instance, and its writer. */
public final class DeviceRegistry implements AutoCloseable {

    private final RegistryTopic<Device> topic;

    public DeviceRegistry(String bootstrap) {
        topic = new RegistryTopic<>(bootstrap, Topics.DEVICES, Device.class, "device", (id, d) -> d.withId(id));
    }

    public Optional<Device> get(String deviceId) {
        return topic.get(deviceId);
    }

    public Map<String, Device> all() {
        return topic.all();
    }

    /** Writes the entry; returns once Kafka acknowledged it and this instance shows it. */
    public Device put(Device device) {
        topic.put(device.deviceId(), device);
        return device;
    }

    @Override
    public void close() {
        topic.close();
    }
}
