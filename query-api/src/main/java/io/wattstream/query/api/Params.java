package io.wattstream.query.api;

import io.helidon.common.parameters.Parameters;
import io.wattstream.model.ReadingRules;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, validated query parameters. Every problem becomes a 400 that names the parameter, so no
 * malformed value ever reaches SQL or turns into a 500.
 */
public final class Params {

    /** PostgreSQL stores far more, but outside years 1-9999 a date is a typo, not a query. */
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** An unencoded '+' in a query string arrives as a space: "09:00:00 01:00" meant "09:00:00+01:00". */
    private static final Pattern SPACE_OFFSET = Pattern.compile(" (\\d{2}(:?\\d{2})?)$");

    private final Map<String, List<String>> values;

    public Params(Map<String, List<String>> values) {
        this.values = values;
    }

    static Params of(Parameters query) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String name : query.names()) {
            m.put(name, query.all(name));
        }
        return new Params(m);
    }

    /** Single-valued parameters, in order, for rebuilding links. */
    Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!v.isEmpty()) {
                m.put(k, v.get(v.size() - 1));
            }
        });
        return m;
    }

    /** The value, absent when missing or empty ({@code ?device=} means no filter). */
    Optional<String> string(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw ApiException.badRequest("parameter '" + name + "' is given more than once");
        }
        String s = v.get(0).strip(); // whitespace only: a NUL or other control character stays and is refused
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    public int integer(String name, int dflt, int min, int max) {
        Optional<String> s = string(name);
        if (s.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(s.get());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter '" + name + "' must be an integer, got '" + abbreviate(s.get()) + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest("parameter '" + name + "' must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    public Optional<String> device(String name) {
        Optional<String> s = string(name);
        s.ifPresent(id -> requireDeviceId(name, id));
        return s;
    }

    /** A site name as the registry holds them: 1-200 characters, no control characters. */
    public Optional<String> site() {
        Optional<String> s = string("site");
        if (s.isPresent() && (s.get().length() > 200 || s.get().chars().anyMatch(Character::isISOControl))) {
            throw ApiException.badRequest("parameter 'site' must be 1-200 characters without control characters");
        }
        return s;
    }

    /** A calendar day {@code 2026-10-25}, or {@code dflt} when absent. */
    public java.time.LocalDate date(String name, java.time.LocalDate dflt) {
        Optional<String> s = string(name);
        if (s.isEmpty()) {
            return dflt;
        }
        try {
            return java.time.LocalDate.parse(s.get(), DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("parameter '" + name + "' must be a date such as 2026-10-25, got '"
                    + abbreviate(s.get()) + "'");
        }
    }

    static String requireDeviceId(String what, String id) {
        if (!ReadingRules.validDeviceId(id)) {
            throw ApiException.badRequest("parameter '" + what + "' must be a device id of 1-64 characters [A-Za-z0-9._:-], got '"
                    + abbreviate(id) + "'");
        }
        return id;
    }

    /** One of the allowed values (case-insensitive), or the default when absent. */
    public String choice(String name, String dflt, Set<String> allowed) {
        Optional<String> s = string(name).map(v -> v.toLowerCase(java.util.Locale.ROOT));
        if (s.isEmpty()) {
            return dflt;
        }
        if (!allowed.contains(s.get())) {
            throw ApiException.badRequest("parameter '" + name + "' must be one of " + new java.util.TreeSet<>(allowed)
                    + ", got '" + abbreviate(s.get()) + "'");
        }
        return s.get();
    }

    Optional<Instant> instant(String name) {
        return string(name).map(v -> parseInstant(name, v));
    }

    /** {@code start} and {@code end} (inclusive), either may be open; start after end is refused. */
    public TimeRange range() {
        Optional<Instant> start = instant("start");
        Optional<Instant> end = instant("end");
        if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
            throw ApiException.badRequest("parameter 'start' (" + start.get() + ") is after 'end' (" + end.get() + ")");
        }
        return new TimeRange(start.orElse(null), end.orElse(null));
    }

    /**
     * ISO-8601: an instant with {@code Z} or an offset, a local date-time (taken as UTC) or a date
     * (midnight UTC). Impossible dates (February 30th) are refused, not rolled over.
     */
    public static Instant parseInstant(String name, String raw) {
        String v = SPACE_OFFSET.matcher(raw).replaceFirst("+$1");
        Instant t = null;
        try {
            t = OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e1) {
            try {
                t = LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                try {
                    t = LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e3) {
                    // fall through to the error below
                }
            }
        }
        if (t == null) {
            throw ApiException.badRequest("parameter '" + name + "' must be an ISO-8601 date-time such as "
                    + "2026-11-20T09:00:00Z, got '" + abbreviate(raw) + "'");
        }
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            throw ApiException.badRequest("parameter '" + name + "' must be between years 0001 and 9999, got '" + abbreviate(raw) + "'");
        }
        return t;
    }

    /** Echoing a 10 kB parameter back in an error helps nobody. */
    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** An inclusive time range; null bounds are open. */
    public record TimeRange(Instant start, Instant end) {
    }
}
