package io.wattstream.gateway.readings;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.kit.JsonErrors;
import java.util.regex.Pattern;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * Reads typed values out of JSON nodes. Numbers may arrive as JSON numbers or as strings (query and
 * form values always are, and the prototype accepted {@code "power": "120.5"} too). A string that
 * still holds a Shelly {@code ${...}} expression means the device failed to evaluate it.
 */
public final class FieldValues {

    /** Plain decimal notation only: no hex floats, no {@code 1d}/{@code 1f} suffixes Java would accept. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    private FieldValues() {
    }

    /** Null when the field is absent or JSON null. */
    static Double number(String field, JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (node.isNumber()) {
            return finite(field, node.doubleValue(), node.asText());
        }
        if (node.isTextual()) {
            return number(field, node.textValue());
        }
        throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a number, got " + kind(node));
    }

    static Double number(String field, String raw) {
        String text = checkSubstituted(field, raw).trim();
        if (NON_FINITE.matcher(text).matches()) {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a finite number, got '" + JsonErrors.clip(raw) + "'");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a number, got '" + JsonErrors.clip(raw) + "'");
        }
        return finite(field, Double.parseDouble(text), text);
    }

    static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    static Boolean bool(String field, JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual()) {
            String text = checkSubstituted(field, node.textValue()).trim();
            if (text.equalsIgnoreCase("true")) {
                return true;
            }
            if (text.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be true or false, got " + kind(node));
    }

    /**
     * The device's error flags: a JSON array of names (Shelly's {@code errors}) or, in a query or form,
     * one comma-separated string; returned in canonical form (sorted, distinct). Absent or empty: null,
     * except in a partial, where an empty list says "no errors any more" and stays "".
     */
    static String errors(String field, JsonNode node, boolean partial) {
        if (absent(node)) {
            return null;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        if (node.isArray()) {
            for (JsonNode e : node) {
                if (!e.isTextual()) {
                    throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a list of error names, got "
                            + kind(e) + " in it");
                }
                names.add(checkSubstituted(field, e.textValue()));
            }
        } else if (node.isTextual()) {
            names.addAll(java.util.List.of(checkSubstituted(field, node.textValue()).split(",")));
        } else {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a list of error names, got " + kind(node));
        }
        String list = io.wattstream.model.ReadingRules.errorList(names);
        for (String name : list.isEmpty() ? new String[0] : list.split(",")) {
            if (!io.wattstream.model.ReadingRules.ERROR_NAME.matcher(name).matches()) {
                throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' holds '" + JsonErrors.clip(name)
                        + "', not an error name (letters, digits and _, at most 32)");
            }
        }
        return list.isEmpty() && !partial ? null : list;
    }

    public static String text(String field, JsonNode node) {
        if (absent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a string, got " + kind(node));
        }
        return checkSubstituted(field, node.textValue());
    }

    public static String checkSubstituted(String field, String value) {
        int start = value.indexOf("${");
        if (start >= 0) {
            throw new Rejection(Reason.UNSUBSTITUTED_TOKEN, "field '" + field + "' holds '" + JsonErrors.clip(value)
                    + "', a Shelly ${...} expression the device did not substitute; check the action URL or script");
        }
        return value;
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case STRING -> "'" + JsonErrors.clip(node.textValue()) + "'";
            case NUMBER -> "the number " + node.asText();
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static double finite(String field, double value, String text) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + field + "' must be a finite number, got '" + JsonErrors.clip(text) + "'");
        }
        return value;
    }
}
