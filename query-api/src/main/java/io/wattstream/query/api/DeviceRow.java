package io.wattstream.query.api;

import io.wattstream.model.state.DeviceState;
import io.wattstream.query.db.MeasurementRow;

/**
 * A device as {@code /api/devices/} shows it: registry metadata, its newest stored reading and the
 * stream processor's live state for it.
 *
 * @param registered          true when the registry has an entry for it
 * @param effectiveThresholdW its own threshold, else the default the stream processor applies; absent
 *                            when it has none and the stream processor cannot be reached
 * @param sessionStartW       the meter's own charging-session levels and times from the registry (null: the
 *                            stream processor's defaults), as {@code PUT} set them
 * @param lastReading         newest reading in PostgreSQL (absent when it never sent one)
 * @param live                the stream processor's state (latest reading, alert states, open
 *                            windows), passed through as the stream processor gives it
 * @param liveStatus          {@code ok}, {@code unknown} (the stream processor has no state for it)
 *                            or {@code unavailable} (the stream processor cannot be reached)
 */
public record DeviceRow(
        String deviceId,
        String name,
        String site,
        Double thresholdW,
        Double effectiveThresholdW,
        boolean registered,
        Double sessionStartW,
        Double sessionStartAfterS,
        Double sessionStandbyW,
        Double sessionEndAfterS,
        MeasurementRow lastReading,
        DeviceState live,
        String liveStatus) {
}
