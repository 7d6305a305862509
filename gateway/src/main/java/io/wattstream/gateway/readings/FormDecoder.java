package io.wattstream.gateway.readings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.kit.JsonErrors;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * Decodes a query string or an {@code application/x-www-form-urlencoded} body into a JSON object of
 * string values, so query, form and JSON readings go through the same field rules.
 */
final class FormDecoder {

    private FormDecoder() {
    }

    /** A name given twice is ambiguous and rejected, like a duplicate key in JSON. */
    static ObjectNode decode(String encoded, String what) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodePart(eq < 0 ? pair : pair.substring(0, eq), what);
            String value = eq < 0 ? "" : decodePart(pair.substring(eq + 1), what);
            if (out.has(name)) {
                throw new Rejection(Reason.MALFORMED_BODY, what + " '" + JsonErrors.clip(name) + "' is given more than once");
            }
            out.put(name, value);
        }
        return out;
    }

    private static String decodePart(String part, String what) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.MALFORMED_BODY, what + " '" + JsonErrors.clip(part)
                    + "' is not valid percent-encoding (a % must be followed by two hex digits)");
        }
    }
}
