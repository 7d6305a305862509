package io.wattstream.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A time-of-use tariff: what a kWh costs at each local time of the week, in one currency, for a time
 * span. It applies to one site, to one meter, or (neither given) to every meter without a tariff of its
 * own or of its site. Kept on the compacted {@code shelly.tariffs} topic, grouped by what it applies to
 * ({@link TariffSchedule}); {@link TariffRules} checks it and prices a moment.
 *
 * @param tariffId   the tariff's own id, {@code [A-Za-z0-9._-]{1,64}}
 * @param name       what people call it (optional)
 * @param site       the site it applies to, or null
 * @param deviceId   the meter it applies to, or null
 * @param currency   ISO 4217 code of every price ({@code EUR})
 * @param timeZone   IANA time zone the zones' local times are in ({@code Europe/Berlin}); daylight-saving
 *                   changes follow from it
 * @param validFrom  first instant it applies (inclusive)
 * @param validTo    the instant it stops applying (exclusive); null: open-ended
 * @param zones      every minute of the week in exactly one zone
 */
public record Tariff(
        String tariffId,
        String name,
        String site,
        String deviceId,
        String currency,
        String timeZone,
        Instant validFrom,
        Instant validTo,
        List<Zone> zones) {

    /**
     * One time-of-use zone: a price for some local times of some days.
     *
     * @param name         e.g. {@code peak}; zones that share a name share their price
     * @param days         {@code MON} ... {@code SUN}
     * @param from         local start {@code HH:MM} (inclusive)
     * @param to           local end {@code HH:MM} (exclusive), {@code 24:00} for the end of the day
     * @param pricePerKwh  price of one kWh in the tariff's currency, at most 6 decimals
     */
    public record Zone(String name, List<String> days, String from, String to, BigDecimal pricePerKwh) {
    }

    /** The {@link TariffSchedule#scopeOf scope} it belongs to. */
    public String scope() {
        return TariffSchedule.scopeOf(site, deviceId);
    }

    /** True when it applies at {@code t}. */
    public boolean validAt(Instant t) {
        return !t.isBefore(validFrom) && (validTo == null || t.isBefore(validTo));
    }
}
