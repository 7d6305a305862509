package io.wattstream.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An enriched reading: the value of {@code shelly.readings} and a row of {@code measurement}.
 * Keeps the prototype's fields ({@code power, voltage, current, energy, timestamp}). Build one with
 * {@link #from(RawReading)} or {@link #builder()}, copy one with {@link #toBuilder()}.
 *
 * @param timestamp      event time: the device's time when plausible, else {@code receivedAt}
 * @param energyDeltaWh  energy since the device's previous counter value (0 for its first reading)
 * @param counterReset   true when the counter went down (reboot, user reset)
 * @param overThreshold  power above the device's threshold at this reading
 * @param energyReturned         returned (exported) energy counter, Wh; null when the device does not report it
 * @param energyReturnedDeltaWh  returned energy since the previous reading, by the same counter rules
 * @param energyFromPowerWh      energy integrated from power since the previous reading (trapezoid), Wh: the
 *                               meter reconciliation's other side
 * @param implausibleJump        the counter rose (or restarted) by more than the device's maximum power can
 *                               deliver since its previous reading: not counted ({@code energy_delta_wh} 0)
 * @param late1m                 arrived after its 1-minute window had closed: stored, not in that aggregate
 * @param late1h                 arrived after its 1-hour window had closed: stored, not in that aggregate
 * @param errors                 the device's own error flags, sorted and comma-separated; null when none
 * @param cost                   what {@code energy_delta_wh} cost at the price in force at {@code timestamp}
 *                               (exact, see {@link Money}); null when no tariff applies to the meter then
 * @param currency               of the cost
 * @param tariffId               the tariff that priced it
 * @param tariffZone             its zone at {@code timestamp} (local time in the tariff's time zone)
 * @param pricePerKwh            the price applied
 */
public record Reading(
        String deviceId,
        double power,
        double voltage,
        double current,
        double energy,
        Instant timestamp,
        Instant receivedAt,
        RawReading.Source source,
        Double freq,
        Double pf,
        Double temperatureC,
        Boolean output,
        double energyDeltaWh,
        boolean counterReset,
        boolean overThreshold,
        String deviceName,
        String site,
        Double energyReturned,
        double energyReturnedDeltaWh,
        double energyFromPowerWh,
        boolean implausibleJump,
        @JsonProperty("late_1m") boolean late1m,
        @JsonProperty("late_1h") boolean late1h,
        String errors,
        BigDecimal cost,
        String currency,
        String tariffId,
        String tariffZone,
        BigDecimal pricePerKwh) {

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every measured field of a complete (not partial) raw reading. */
    public static Builder from(RawReading r) {
        Builder b = new Builder();
        b.deviceId = r.deviceId();
        b.power = r.power();
        b.voltage = r.voltage();
        b.current = r.current();
        b.energy = r.energy();
        b.timestamp = r.timestamp();
        b.receivedAt = r.receivedAt();
        b.source = r.source();
        b.freq = r.freq();
        b.pf = r.pf();
        b.temperatureC = r.temperatureC();
        b.output = r.output();
        b.energyReturned = r.energyReturned();
        b.errors = r.errors() == null || r.errors().isEmpty() ? null : r.errors();
        return b;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The measured fields as a full raw reading: the base a partial is overlaid on. */
    public RawReading asStatus() {
        return RawReading.builder().deviceId(deviceId).power(power).voltage(voltage).current(current).energy(energy)
                .timestamp(timestamp).receivedAt(receivedAt).source(source).freq(freq).pf(pf)
                .temperatureC(temperatureC).output(output).energyReturned(energyReturned).errors(errors).build();
    }

    /** Fluent construction; unset numbers are 0, unset references null. */
    public static final class Builder {
        private String deviceId;
        private double power;
        private double voltage;
        private double current;
        private double energy;
        private Instant timestamp;
        private Instant receivedAt;
        private RawReading.Source source;
        private Double freq;
        private Double pf;
        private Double temperatureC;
        private Boolean output;
        private double energyDeltaWh;
        private boolean counterReset;
        private boolean overThreshold;
        private String deviceName;
        private String site;
        private Double energyReturned;
        private double energyReturnedDeltaWh;
        private double energyFromPowerWh;
        private boolean implausibleJump;
        private boolean late1m;
        private boolean late1h;
        private String errors;
        private BigDecimal cost;
        private String currency;
        private String tariffId;
        private String tariffZone;
        private BigDecimal pricePerKwh;

        private Builder() {
        }

        private Builder(Reading r) {
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
            energyDeltaWh = r.energyDeltaWh;
            counterReset = r.counterReset;
            overThreshold = r.overThreshold;
            deviceName = r.deviceName;
            site = r.site;
            energyReturned = r.energyReturned;
            energyReturnedDeltaWh = r.energyReturnedDeltaWh;
            energyFromPowerWh = r.energyFromPowerWh;
            implausibleJump = r.implausibleJump;
            late1m = r.late1m;
            late1h = r.late1h;
            errors = r.errors;
            cost = r.cost;
            currency = r.currency;
            tariffId = r.tariffId;
            tariffZone = r.tariffZone;
            pricePerKwh = r.pricePerKwh;
        }

        public Builder deviceId(String v) { deviceId = v; return this; }
        public Builder power(double v) { power = v; return this; }
        public Builder voltage(double v) { voltage = v; return this; }
        public Builder current(double v) { current = v; return this; }
        public Builder energy(double v) { energy = v; return this; }
        public Builder timestamp(Instant v) { timestamp = v; return this; }
        public Builder receivedAt(Instant v) { receivedAt = v; return this; }
        public Builder source(RawReading.Source v) { source = v; return this; }
        public Builder freq(Double v) { freq = v; return this; }
        public Builder pf(Double v) { pf = v; return this; }
        public Builder temperatureC(Double v) { temperatureC = v; return this; }
        public Builder output(Boolean v) { output = v; return this; }
        public Builder energyDeltaWh(double v) { energyDeltaWh = v; return this; }
        public Builder counterReset(boolean v) { counterReset = v; return this; }
        public Builder overThreshold(boolean v) { overThreshold = v; return this; }
        public Builder deviceName(String v) { deviceName = v; return this; }
        public Builder site(String v) { site = v; return this; }
        public Builder energyReturned(Double v) { energyReturned = v; return this; }
        public Builder energyReturnedDeltaWh(double v) { energyReturnedDeltaWh = v; return this; }
        public Builder energyFromPowerWh(double v) { energyFromPowerWh = v; return this; }
        public Builder implausibleJump(boolean v) { implausibleJump = v; return this; }
        public Builder late1m(boolean v) { late1m = v; return this; }
        public Builder late1h(boolean v) { late1h = v; return this; }
        public Builder errors(String v) { errors = v; return this; }
        public Builder cost(BigDecimal v) { cost = v; return this; }
        public Builder currency(String v) { currency = v; return this; }
        public Builder tariffId(String v) { tariffId = v; return this; }
        public Builder tariffZone(String v) { tariffZone = v; return this; }
        public Builder pricePerKwh(BigDecimal v) { pricePerKwh = v; return this; }

        public Reading build() {
            return new Reading(deviceId, power, voltage, current, energy, timestamp, receivedAt, source, freq, pf,
                    temperatureC, output, energyDeltaWh, counterReset, overThreshold, deviceName, site, energyReturned,
                    energyReturnedDeltaWh, energyFromPowerWh, implausibleJump, late1m, late1h, errors, cost, currency,
                    tariffId, tariffZone, pricePerKwh);
        }
    }
}
