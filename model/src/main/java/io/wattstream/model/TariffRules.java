package io.wattstream.model;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a tariff must meet, shared by the query API (which answers 400 naming the problem) and the
 * stream processor (which prices readings with {@link PriceList}): an ISO 4217 currency, an IANA time
 * zone, a validity, and zones that give every minute of the week exactly one price, none overlapping,
 * no gap.
 */
public final class TariffRules {

    public static final Pattern TARIFF_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The days of a zone, in week order. */
    public static final List<String> DAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    public static final int MAX_ZONES = 64;
    static final BigDecimal MAX_PRICE = new BigDecimal("1000");
    private static final int MINUTES = 24 * 60;
    private static final Pattern HH_MM = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final int MAX_TEXT = 200;

    /** The price in force at one moment. */
    public record Price(String tariffId, String zone, BigDecimal pricePerKwh, String currency, ZoneId timeZone) {
    }

    /**
     * The tariff checked and in its normal form: days upper-case in week order (absent: every day), an
     * absent {@code from} / {@code to} the start / end of the day, prices without trailing zeros.
     * Throws {@link InvalidTariffException} naming the first problem.
     */
    public static Tariff validated(Tariff t) {
        if (t.tariffId() == null || !TARIFF_ID.matcher(t.tariffId()).matches()) {
            throw invalid("field 'tariff_id' must be 1-64 characters of [A-Za-z0-9._-]");
        }
        text("name", t.name());
        text("site", t.site());
        if (t.site() != null && t.deviceId() != null) {
            throw invalid("a tariff applies to a site or to a meter, not both: give 'site' or 'device_id'");
        }
        if (t.deviceId() != null && !ReadingRules.validDeviceId(t.deviceId())) {
            throw invalid("field 'device_id' must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        currency(t.currency());
        zoneId(t.timeZone());
        if (t.validFrom() == null) {
            throw invalid("field 'valid_from' is required");
        }
        if (t.validTo() != null && !t.validTo().isAfter(t.validFrom())) {
            throw invalid("field 'valid_to' (" + t.validTo() + ") must be after 'valid_from' (" + t.validFrom() + ")");
        }
        if (t.zones() == null || t.zones().isEmpty()) {
            throw invalid("field 'zones' must hold at least one zone");
        }
        if (t.zones().size() > MAX_ZONES) {
            throw invalid("field 'zones' holds more than " + MAX_ZONES + " zones");
        }
        List<Tariff.Zone> zones = new ArrayList<>();
        Map<String, Integer> priceOf = new HashMap<>();
        for (int i = 0; i < t.zones().size(); i++) {
            Tariff.Zone z = zone(i, t.zones().get(i));
            Integer first = priceOf.putIfAbsent(z.name(), i);
            if (first != null && zones.get(first).pricePerKwh().compareTo(z.pricePerKwh()) != 0) {
                throw invalid("zones[" + i + "] '" + z.name() + "' costs " + z.pricePerKwh().toPlainString() + " but zones["
                        + first + "] of the same name costs " + zones.get(first).pricePerKwh().toPlainString()
                        + ": a zone name has one price");
            }
            zones.add(z);
        }
        coverage(zones);
        return new Tariff(t.tariffId(), t.name(), t.site(), t.deviceId(), t.currency().toUpperCase(Locale.ROOT),
                t.timeZone(), t.validFrom(), t.validTo(), List.copyOf(zones));
    }

    /** Throws when two tariffs of one scope would apply at the same moment. */
    public static void checkNoOverlap(List<Tariff> sameScope) {
        List<Tariff> sorted = new ArrayList<>(sameScope);
        sorted.sort(Comparator.comparing(Tariff::validFrom));
        for (int i = 1; i < sorted.size(); i++) {
            Tariff a = sorted.get(i - 1);
            Tariff b = sorted.get(i);
            if (a.validTo() == null || a.validTo().isAfter(b.validFrom())) {
                throw invalid("tariff '" + b.tariffId() + "' (from " + b.validFrom() + ") overlaps tariff '" + a.tariffId()
                        + "' (from " + a.validFrom() + (a.validTo() == null ? ", open-ended" : " to " + a.validTo())
                        + ") for " + describe(a.scope()) + ": set 'valid_to' of the earlier one");
            }
        }
    }

    /** {@code default}, {@code site:X}, {@code meter:Y} as words. */
    public static String describe(String scope) {
        if (scope.startsWith(TariffSchedule.SITE_PREFIX)) {
            return "site '" + scope.substring(TariffSchedule.SITE_PREFIX.length()) + "'";
        }
        if (scope.startsWith(TariffSchedule.METER_PREFIX)) {
            return "meter '" + scope.substring(TariffSchedule.METER_PREFIX.length()) + "'";
        }
        return "the default";
    }

    private static Tariff.Zone zone(int i, Tariff.Zone z) {
        String f = "zones[" + i + "]";
        if (z == null) {
            throw invalid("field '" + f + "' must be an object");
        }
        if (z.name() == null || z.name().isBlank() || z.name().length() > 40 || z.name().chars().anyMatch(Character::isISOControl)) {
            throw invalid("field '" + f + ".name' must be 1-40 characters without control characters");
        }
        List<String> days = new ArrayList<>();
        if (z.days() == null || z.days().isEmpty()) {
            days.addAll(DAYS);
        } else {
            for (String d : z.days()) {
                String day = d == null ? "" : d.trim().toUpperCase(Locale.ROOT);
                if (!DAYS.contains(day)) {
                    throw invalid("field '" + f + ".days' holds '" + (d == null ? "null" : d) + "'; use " + String.join(", ", DAYS));
                }
                if (days.contains(day)) {
                    throw invalid("field '" + f + ".days' names " + day + " twice");
                }
                days.add(day);
            }
            days.sort(Comparator.comparingInt(DAYS::indexOf));
        }
        int from = z.from() == null ? 0 : minute(f + ".from", z.from(), false);
        int to = z.to() == null ? MINUTES : minute(f + ".to", z.to(), true);
        if (from >= to) {
            throw invalid("field '" + f + ".from' (" + hhmm(from) + ") must be before '" + f + ".to' (" + hhmm(to)
                    + "); write a zone across midnight as two (e.g. 22:00-24:00 and 00:00-06:00)");
        }
        BigDecimal price = z.pricePerKwh();
        if (price == null) {
            throw invalid("field '" + f + ".price_per_kwh' is required");
        }
        price = price.signum() == 0 ? BigDecimal.ZERO : price.stripTrailingZeros();
        if (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0 || Math.max(0, price.scale()) > Money.PRICE_SCALE) {
            throw invalid("field '" + f + ".price_per_kwh' must be between 0 and " + MAX_PRICE + " with at most "
                    + Money.PRICE_SCALE + " decimals, got " + price.toPlainString());
        }
        if (price.scale() < 0) {
            price = price.setScale(0);
        }
        return new Tariff.Zone(z.name().strip(), List.copyOf(days), hhmm(from), hhmm(to), price);
    }

    /** Every minute of the week in exactly one zone: the first overlap or gap is the error. */
    private static void coverage(List<Tariff.Zone> zones) {
        int[] owner = new int[7 * MINUTES];
        for (int i = 0; i < zones.size(); i++) {
            Tariff.Zone z = zones.get(i);
            int from = minute("", z.from(), false);
            int to = minute("", z.to(), true);
            for (String day : z.days()) {
                int base = DAYS.indexOf(day) * MINUTES;
                for (int m = from; m < to; m++) {
                    int other = owner[base + m] - 1;
                    if (other >= 0) {
                        int end = m;
                        while (end < to && owner[base + end] - 1 == other) {
                            end++;
                        }
                        throw invalid("zones[" + other + "] '" + zones.get(other).name() + "' and zones[" + i + "] '"
                                + z.name() + "' overlap on " + day + " " + hhmm(m) + "-" + hhmm(end)
                                + ": every minute of the week needs exactly one zone");
                    }
                    owner[base + m] = i + 1;
                }
            }
        }
        for (int d = 0; d < 7; d++) {
            for (int m = 0; m < MINUTES; m++) {
                if (owner[d * MINUTES + m] == 0) {
                    int end = m;
                    while (end < MINUTES && owner[d * MINUTES + end] == 0) {
                        end++;
                    }
                    throw invalid("the zones leave " + DAYS.get(d) + " " + hhmm(m) + "-" + hhmm(end)
                            + " without a price: every minute of the week needs exactly one zone");
                }
            }
        }
    }

    private static int minute(String field, String value, boolean endOfDayAllowed) {
        Matcher m = HH_MM.matcher(value == null ? "" : value.trim());
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int min = Integer.parseInt(m.group(2));
            if (h < 24 && min < 60) {
                return h * 60 + min;
            }
            if (endOfDayAllowed && h == 24 && min == 0) {
                return MINUTES;
            }
        }
        throw invalid("field '" + field + "' must be a local time HH:MM (00:00-23:59" + (endOfDayAllowed ? ", or 24:00" : "")
                + "), got '" + value + "'");
    }

    static String hhmm(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    private static void currency(String c) {
        try {
            if (c != null && c.length() == 3) {
                Currency.getInstance(c.toUpperCase(Locale.ROOT));
                return;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw invalid("field 'currency' must be an ISO 4217 code such as EUR, got '" + c + "'");
    }

    /** An IANA region id; fixed offsets are refused, as they know no daylight-saving time. */
    public static ZoneId zoneId(String id) {
        try {
            if (id != null && id.contains("/")) {
                return ZoneId.of(id);
            }
            if ("UTC".equals(id)) {
                return ZoneId.of(id);
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw invalid("field 'time_zone' must be an IANA time zone such as Europe/Berlin (or UTC), got '" + id + "'");
    }

    private static void text(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank() || value.length() > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid("field '" + field + "' must be 1-" + MAX_TEXT + " characters without control characters");
        }
    }

    private static InvalidTariffException invalid(String message) {
        return new InvalidTariffException(message);
    }

    /**
     * One scope's tariffs prepared for pricing: the zone of every minute of the week looked up in an array,
     * so pricing a reading costs a time-zone conversion and two array reads.
     */
    public static final class PriceList {

        private final List<Compiled> tariffs;
        private final List<String> problems;

        private PriceList(List<Compiled> tariffs, List<String> problems) {
            this.tariffs = tariffs;
            this.problems = problems;
        }

        /** The scope's tariffs; one that breaks a rule (not written by the API) is left out and named in problems. */
        public static PriceList of(TariffSchedule schedule) {
            List<Compiled> ok = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (Tariff t : schedule.tariffs()) {
                try {
                    ok.add(new Compiled(validated(t)));
                } catch (InvalidTariffException | NullPointerException e) {
                    problems.add("tariff '" + t.tariffId() + "': " + e.getMessage());
                }
            }
            ok.sort(Comparator.comparing(c -> c.tariff.validFrom()));
            return new PriceList(List.copyOf(ok), List.copyOf(problems));
        }

        /** The price in force at {@code t}, or null when no tariff of the scope applies then. */
        public Price at(Instant t) {
            for (Compiled c : tariffs) {
                if (c.tariff.validAt(t)) {
                    return c.at(t);
                }
            }
            return null;
        }

        public List<String> problems() {
            return problems;
        }
    }

    private static final class Compiled {
        final Tariff tariff;
        final ZoneId zone;
        final Price[] byZone;
        final byte[] zoneOfMinute = new byte[7 * MINUTES];

        Compiled(Tariff t) {
            this.tariff = t;
            this.zone = zoneId(t.timeZone());
            this.byZone = new Price[t.zones().size()];
            for (int i = 0; i < byZone.length; i++) {
                Tariff.Zone z = t.zones().get(i);
                byZone[i] = new Price(t.tariffId(), z.name(), z.pricePerKwh(), t.currency(), zone);
                int from = minute("", z.from(), false);
                int to = minute("", z.to(), true);
                for (String day : z.days()) {
                    int base = DAYS.indexOf(day) * MINUTES;
                    for (int m = from; m < to; m++) {
                        zoneOfMinute[base + m] = (byte) i;
                    }
                }
            }
        }

        Price at(Instant t) {
            ZonedDateTime local = t.atZone(zone);
            int index = (local.getDayOfWeek().getValue() - 1) * MINUTES + local.getHour() * 60 + local.getMinute();
            return byZone[zoneOfMinute[index]];
        }
    }

    private TariffRules() {
    }
}
