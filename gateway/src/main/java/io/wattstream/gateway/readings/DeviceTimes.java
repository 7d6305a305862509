package io.wattstream.gateway.readings;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.kit.JsonErrors;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * Reads a device's own time: ISO-8601 with a zone ({@code timestamp}) or unix seconds with an
 * optional fraction ({@code ts}). Times are kept to the microsecond, like {@code received_at}.
 * Whether a time is plausibly "now" is the stream processor's call; here a time outside
 * 2000..2100 is refused as a broken clock or a wrong unit (milliseconds sent as seconds).
 */
final class DeviceTimes {

    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private DeviceTimes() {
    }

    static Instant iso(String field, JsonNode node) {
        if (FieldValues.absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Rejection(Reason.INVALID_TIMESTAMP, "field '" + field
                    + "' must be an ISO-8601 time with a zone, like 2026-11-20T09:00:00Z (send unix seconds as 'ts'), got "
                    + FieldValues.kind(node));
        }
        String text = FieldValues.checkSubstituted(field, node.textValue()).trim();
        Instant t;
        try {
            t = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
        } catch (DateTimeParseException e) {
            throw new Rejection(Reason.INVALID_TIMESTAMP, "field '" + field
                    + "' must be an ISO-8601 time with a zone, like 2026-11-20T09:00:00Z, got '" + JsonErrors.clip(text) + "'");
        }
        return plausible(field, t.truncatedTo(ChronoUnit.MICROS), text);
    }

    static Instant unixSeconds(String field, JsonNode node) {
        if (FieldValues.absent(node)) {
            return null;
        }
        BigDecimal seconds;
        if (node.isNumber()) {
            seconds = node.decimalValue();
        } else if (node.isTextual() && FieldValues.isDecimal(FieldValues.checkSubstituted(field, node.textValue()).trim())) {
            seconds = new BigDecimal(node.textValue().trim());
        } else {
            throw new Rejection(Reason.INVALID_TIMESTAMP, "field '" + field
                    + "' must be unix seconds, like 1763629260.41, got " + FieldValues.kind(node));
        }
        double approx = seconds.doubleValue();
        if (approx < EARLIEST.getEpochSecond() || approx >= LATEST.getEpochSecond()) {
            throw new Rejection(Reason.INVALID_TIMESTAMP, "field '" + field + "' is " + JsonErrors.clip(seconds.toString())
                    + ", not unix seconds between 2000 and 2100"
                    + (approx >= LATEST.getEpochSecond() * 100.0 ? " (milliseconds sent as seconds?)" : ""));
        }
        BigDecimal micros = seconds.setScale(6, RoundingMode.DOWN).movePointRight(6);
        long total = micros.longValueExact();
        return Instant.ofEpochSecond(Math.floorDiv(total, 1_000_000L), Math.floorMod(total, 1_000_000L) * 1_000L);
    }

    private static Instant plausible(String field, Instant t, String text) {
        if (t.isBefore(EARLIEST) || !t.isBefore(LATEST)) {
            throw new Rejection(Reason.INVALID_TIMESTAMP, "field '" + field + "' is " + JsonErrors.clip(text)
                    + ", outside the years 2000 to 2100");
        }
        return t;
    }
}
