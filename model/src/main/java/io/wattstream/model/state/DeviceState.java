package io.wattstream.model.state;

import io.wattstream.model.Alert;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Reading;
import io.wattstream.model.WindowStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the stream processor's {@code GET /state/devices/{id}} answers for one device (JSON, snake_case),
 * written by its state service and read by the query API.
 *
 * @param latestReading  newest enriched reading by event time
 * @param lastSeenAt     wall-clock time the processor last received a reading of the device
 * @param alerts         the last transition of each alert kind; {@code state: RAISED} means active now
 *                       (a raised power alert's {@code peak_w} is kept current)
 * @param windows        the device's most recent 1-minute, 1-hour window and local day ({@link #WINDOW_1M},
 *                       {@link #WINDOW_1H}, {@link #WINDOW_1D}), open or not yet emitted; absent when none
 * @param session        the meter's open charging session as it stands (state UPDATED), or null
 * @param servedBy       {@code host:port} of the instance whose local state answered
 */
public record DeviceState(
        String deviceId,
        Reading latestReading,
        Instant lastSeenAt,
        List<Alert> alerts,
        Map<String, WindowStats> windows,
        ChargingSession session,
        String servedBy) {

    public static final String WINDOW_1M = "1m";
    public static final String WINDOW_1H = "1h";
    public static final String WINDOW_1D = "1d";
}
