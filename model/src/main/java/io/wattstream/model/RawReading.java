package io.wattstream.model;

import java.time.Instant;

/**
 * One reading as the gateway received it, normalized to a single shape; the value of
 * {@code shelly.readings.raw}, keyed by device id.
 *
 * @param deviceId    device that sent it ({@code default} when the request named none)
 * @param power       active power, W (null only in a partial)
 * @param voltage     V (null only in a partial)
 * @param current     A (null only in a partial)
 * @param energy      total energy counter, Wh (null only in a partial)
 * @param timestamp   the device's own time when it sent one, else {@code receivedAt}
 * @param receivedAt  gateway time, microsecond precision, strictly increasing per gateway process
 * @param source      the shape it arrived in, see {@link Source}
 * @param partial     true for a {@code NotifyStatus} frame that carries only the fields that changed
 * @param deviceTime  true when {@code timestamp} came from the device
 */
public record RawReading(
        String deviceId,
        Double power,
        Double voltage,
        Double current,
        Double energy,
        Instant timestamp,
        Instant receivedAt,
        Source source,
        Double freq,
        Double pf,
        Double temperatureC,
        Boolean output,
        boolean partial,
        boolean deviceTime) {

    /** The shapes a reading can arrive in. */
    public enum Source {
        FLAT_POST, FLAT_GET, FLAT_FORM, FLAT_BATCH, SHELLY_ACTION, SWITCH_STATUS, NOTIFY_STATUS, NOTIFY_FULL_STATUS
    }

    /** A partial overlaid on a full base: every field the partial carries wins. */
    public RawReading overlayOn(RawReading base) {
        return new RawReading(deviceId,
                power != null ? power : base.power,
                voltage != null ? voltage : base.voltage,
                current != null ? current : base.current,
                energy != null ? energy : base.energy,
                timestamp, receivedAt, source,
                freq != null ? freq : base.freq,
                pf != null ? pf : base.pf,
                temperatureC != null ? temperatureC : base.temperatureC,
                output != null ? output : base.output,
                false, deviceTime);
    }
}
