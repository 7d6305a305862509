package io.wattstream.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.wattstream.model.Json;
import java.io.IOException;

/** Request bodies: one JSON object of known fields, every problem a 400 naming the field. */
final class Bodies {

    /**
     * A strict reader for {@code type}: an unknown field is refused (a misspelt "treshold_w" must not
     * silently clear the threshold), a null for a number that cannot be absent too.
     */
    static ObjectReader strict(Class<?> type) {
        return Json.MAPPER.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The body read with {@code reader}; {@code fields} lists what may be in it, for the error messages. */
    static <T> T read(byte[] body, ObjectReader reader, String fields) {
        if (body.length == 0) {
            throw ApiException.badRequest("request body must be a JSON object with " + fields);
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw ApiException.badRequest("request body must be a JSON object with " + fields);
            }
            return reader.readValue(tree);
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("field '" + path(e) + "' is not known; expected " + fields);
        } catch (JsonMappingException e) {
            throw ApiException.badRequest("field '" + path(e) + "' has an invalid value: "
                    + Params.abbreviate(String.valueOf(e.getOriginalMessage())));
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not valid JSON: " + Params.abbreviate(String.valueOf(
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
        }
    }

    /** {@code zones[1].price_per_kwh}: where in the body the problem is. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "?" : b.toString();
    }

    private Bodies() {
    }
}
