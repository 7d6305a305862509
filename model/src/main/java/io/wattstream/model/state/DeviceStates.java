package io.wattstream.model.state;

import java.util.List;

/** The answer of {@code GET /state/devices}: every device known to the stream processor, sorted by id. */
public record DeviceStates(List<DeviceState> devices) {
}
