package io.wattstream.streams.state;

import java.util.List;

/** The {@code /state/devices} answer: every device known to the application, sorted by id. */
public record DeviceStates(List<DeviceState> devices) {
}
