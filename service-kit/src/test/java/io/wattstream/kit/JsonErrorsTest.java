package io.wattstream.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.DirectHandler.TransportRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.wattstream.model.Json;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    static final TransportRequest GET = new TransportRequest() {
        @Override
        public String protocolVersion() {
            return "1.1";
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/x";
        }

        @Override
        public ServerRequestHeaders headers() {
            return ServerRequestHeaders.create();
        }
    };

    static JsonNode json(byte[] body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    static DirectHandler.TransportResponse answer(DirectHandlers handlers, TransportRequest req, EventType type,
                                                  Status status, String message) {
        return handlers.handler(type).handle(req, type, status, ServerResponseHeaders.create(), message);
    }

    @Test
    void theBodyIsOneErrorFieldWithTheMessageEscaped() throws Exception {
        byte[] body = JsonErrors.body("field \"power\" is missing\n");
        assertThat(json(body).properties()).hasSize(1);
        assertThat(json(body).path("error").asText()).isEqualTo("field \"power\" is missing\n");
        assertThat(json(JsonErrors.body(null)).path("error").asText()).isEmpty();
    }

    @Test
    void aHelidonRefusalKeepsItsStatusAndExplainsItselfInJson() throws Exception {
        var res = answer(JsonErrors.directHandlers(), GET, EventType.BAD_REQUEST, Status.BAD_REQUEST_400,
                "Header value is not valid");
        assertThat(res.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(res.headers().get(HeaderNames.CONTENT_TYPE).get()).isEqualTo("application/json");
        assertThat(json(res.entity().orElseThrow()).path("error").asText()).isEqualTo("bad request: Header value is not valid");
    }

    @Test
    void aRequestLineWithoutAMethodIsTheClientsFault() throws Exception {
        var res = answer(JsonErrors.directHandlers(), TransportRequest.empty(), EventType.INTERNAL_ERROR,
                Status.INTERNAL_SERVER_ERROR_500, "java.lang.IllegalStateException: boom");
        assertThat(res.status()).isEqualTo(Status.BAD_REQUEST_400);
        assertThat(json(res.entity().orElseThrow()).path("error").asText()).isEqualTo("malformed request line");
    }

    @Test
    void aServerErrorGivesNoDetailAndEchoedInputIsClipped() throws Exception {
        DirectHandlers handlers = JsonErrors.directHandlers();
        var internal = answer(handlers, GET, EventType.INTERNAL_ERROR, Status.INTERNAL_SERVER_ERROR_500,
                "java.lang.IllegalStateException: at io.helidon...");
        assertThat(json(internal.entity().orElseThrow()).path("error").asText()).isEqualTo("internal server error");
        var longOne = answer(handlers, GET, EventType.BAD_REQUEST, Status.BAD_REQUEST_400, "x".repeat(500) + "\r\n");
        String text = json(longOne.entity().orElseThrow()).path("error").asText();
        assertThat(text).startsWith("bad request: xxx").endsWith("...").hasSizeLessThan(120).doesNotContain("\n");
    }

    @Test
    void aServiceMayReplaceTheAnswerPerEvent() throws Exception {
        DirectHandlers handlers = JsonErrors.directHandlers((type, a) -> type == EventType.PAYLOAD_TOO_LARGE
                ? new JsonErrors.Answer(Status.REQUEST_ENTITY_TOO_LARGE_413, "the body is larger than the limit")
                : a);
        var res = answer(handlers, GET, EventType.PAYLOAD_TOO_LARGE, Status.BAD_REQUEST_400, "too large");
        assertThat(res.status()).isEqualTo(Status.REQUEST_ENTITY_TOO_LARGE_413);
        assertThat(json(res.entity().orElseThrow()).path("error").asText()).isEqualTo("the body is larger than the limit");
        var other = answer(handlers, GET, EventType.FORBIDDEN, Status.FORBIDDEN_403, "");
        assertThat(json(other.entity().orElseThrow()).path("error").asText()).isEqualTo("forbidden");
    }
}
