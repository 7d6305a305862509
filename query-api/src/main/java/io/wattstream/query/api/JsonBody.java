package io.wattstream.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.webserver.http.ServerRequest;
import io.wattstream.model.Json;
import java.io.IOException;

/**
 * Request bodies: one JSON object read into a record, unknown fields refused (a misspelt field must
 * not silently clear a value), every problem a 400 naming the field. Bodies are never logged: some
 * carry secrets.
 */
final class JsonBody {

    /** A strict reader of {@code type}: unknown fields and nulls for primitives are errors. */
    static ObjectReader reader(Class<?> type) {
        return Json.MAPPER.readerFor(type)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * @param shape  what the body must be, for the error ("a JSON object with name, site ...")
     * @param fields the known fields, for the error about an unknown one
     * @param empty  the value of an empty body; null: an empty body is an error
     */
    static <T> T read(ServerRequest req, ObjectReader reader, String shape, String fields, T empty) {
        byte[] body = req.content().as(byte[].class);
        if (body.length == 0) {
            if (empty != null) {
                return empty;
            }
            throw ApiException.badRequest("request body must be " + shape);
        }
        try {
            JsonNode tree = Json.MAPPER.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw ApiException.badRequest("request body must be " + shape);
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

    private JsonBody() {
    }
}
