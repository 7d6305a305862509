package io.wattstream.model;

import java.time.Instant;

/**
 * One reading as the gateway received it, normalized to a single shape; the value of
 * {@code shelly.readings.raw}, keyed by device id. Build one with {@link #builder()} or copy one with
 * {@link #toBuilder()}, so a new field touches no call site that does not set it.
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
 * @param energyReturned  returned (exported) energy counter, Wh (Shelly {@code ret_aenergy.total}); null when
 *                        the shape does not carry it
 * @param errors      the device's own error flags ({@code overtemp}, {@code overpower}, ...), sorted and
 *                    comma-separated; null when none (in a partial: unchanged), empty in a partial that
 *                    reports them gone
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
        boolean deviceTime,
        Double energyReturned,
        String errors) {

    /** The shapes a reading can arrive in. */
    public enum Source {
        FLAT_POST, FLAT_GET, FLAT_FORM, FLAT_BATCH, SHELLY_ACTION, SWITCH_STATUS, NOTIFY_STATUS, NOTIFY_FULL_STATUS
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with another {@code timestamp}. */
    public RawReading withTimestamp(Instant t) {
        return toBuilder().timestamp(t).build();
    }

    /** A partial overlaid on a full base: every field the partial carries wins. */
    public RawReading overlayOn(RawReading base) {
        return toBuilder()
                .power(power != null ? power : base.power)
                .voltage(voltage != null ? voltage : base.voltage)
                .current(current != null ? current : base.current)
                .energy(energy != null ? energy : base.energy)
                .freq(freq != null ? freq : base.freq)
                .pf(pf != null ? pf : base.pf)
                .temperatureC(temperatureC != null ? temperatureC : base.temperatureC)
                .output(output != null ? output : base.output)
                .energyReturned(energyReturned != null ? energyReturned : base.energyReturned)
                .errors(errors != null ? errors : base.errors)
                .partial(false)
                .build();
    }

    /** Fluent construction; unset fields are null (false for the flags). */
    public static final class Builder {
        private String deviceId;
        private Double power;
        private Double voltage;
        private Double current;
        private Double energy;
        private Instant timestamp;
        private Instant receivedAt;
        private Source source;
        private Double freq;
        private Double pf;
        private Double temperatureC;
        private Boolean output;
        private boolean partial;
        private boolean deviceTime;
        private Double energyReturned;
        private String errors;

        private Builder() {
        }

        private Builder(RawReading r) {
            deviceId = r.deviceId;
            power = r.power;
            voltage = r.voltage;
            current = r.current;
            energy = r.energy;
            timestamp = r.timestamp;
            receivedAt = r.receivedAt;
            source = r.source;
            freq = r.freq;
            pf = r.pf;
            temperatureC = r.temperatureC;
            output = r.output;
            partial = r.partial;
            deviceTime = r.deviceTime;
            energyReturned = r.energyReturned;
            errors = r.errors;
        }

        public Builder deviceId(String v) { deviceId = v; return this; }
        public Builder power(Double v) { power = v; return this; }
        public Builder voltage(Double v) { voltage = v; return this; }
        public Builder current(Double v) { current = v; return this; }
        public Builder energy(Double v) { energy = v; return this; }
        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder receivedAt(Instant v) { receivedAt = v; return this; }
        public Builder source(Source v) { source = v; return this; }
        public Builder freq(Double v) { freq = v; return this; }
        public Builder pf(Double v) { pf = v; return this; }
        public Builder temperatureC(Double v) { temperatureC = v; return this; }
        public Builder output(Boolean v) { output = v; return this; }
        public Builder partial(boolean v) { partial = v; return this; }
        public Builder deviceTime(boolean v) { deviceTime = v; return this; }
        public Builder energyReturned(Double v) { energyReturned = v; return this; }
        public Builder errors(String v) { errors = v; return this; }

        /** Both times at once: a reading without device time has {@code timestamp == receivedAt}. */
        public Builder at(Instant t) { timestamp = t; receivedAt = t; return this; }

        public RawReading build() {
            return new RawReading(deviceId, power, voltage, current, energy, timestamp, receivedAt, source, freq, pf,
                    temperatureC, output, partial, deviceTime, energyReturned, errors);
        }
    }
}
