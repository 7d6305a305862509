package io.wattstream.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.Json;

/** JSON bodies, always written with the shared mapper so every answer has the same conventions. */
public final class Responses {

    static void json(ServerResponse res, Object body) {
        send(res, Json.MAPPER, body);
    }

    private static void send(ServerResponse res, ObjectMapper mapper, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + body.getClass().getSimpleName(), e);
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes);
    }

    private Responses() {
    }
}
