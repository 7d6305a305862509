package io.wattstream.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HttpException;
import io.helidon.http.HttpException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a JSON error with the right status. The only place that writes errors. */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorMapping::api)
                .error(SQLException.class, (req, res, e) -> {
                    // A query that fails is the database's state (down, restarting, out of connections),
                    // never the client's input: every value reaches SQL as a bound, validated parameter.
                    LOG.warn("Database error on {} {}: {}", req.prologue().method(), req.path().path(), e.toString());
                    write(res, Status.SERVICE_UNAVAILABLE_503, "database unavailable");
                })
                // The server's own refusals (bad request line, entity too large...) keep their status.
                .error(HttpException.class, (req, res, e) -> write(res, e.status(), String.valueOf(e.getMessage())))
                .error(JsonProcessingException.class, (req, res, e) ->
                        write(res, Status.BAD_REQUEST_400, "request body is not valid JSON: " + e.getOriginalMessage()))
                // Helidon's own answers keep their status: 304 when a browser revalidates a cached
                // dashboard file, 404 for an unknown path or file.
                .error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() == Status.NOT_MODIFIED_304.code()) {
                        res.status(e.status()).send();
                    } else {
                        write(res, e.status(), e.getMessage());
                    }
                })
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.error("Unexpected failure on {} {}", req.prologue().method(), req.path().path(), e);
                    write(res, Status.INTERNAL_SERVER_ERROR_500, "internal error");
                });
    }

    private static void api(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.status() == 503) {
            LOG.warn("{} {} unavailable: {}", req.prologue().method(), req.path().path(), e.getMessage());
        }
        write(res, Status.create(e.status()), e.getMessage());
    }

    static void write(ServerResponse res, Status status, String message) {
        if (res.isSent()) {
            return; // a streamed answer already started; the connection is closed instead
        }
        res.status(status);
        Responses.json(res, Map.of("error", message));
    }

    /**
     * Errors Helidon answers itself before routing. A request line it cannot parse (a method with a
     * non-ASCII or control character) arrives as an internal error without a prologue: the client's
     * fault, so 400. Answers are JSON like every other error.
     */
    public static DirectHandlers directHandlers() {
        DirectHandler json = (request, type, status, headers, message) -> {
            boolean unparsable = type == DirectHandler.EventType.INTERNAL_ERROR && request.method().isEmpty();
            Status effective = unparsable ? Status.BAD_REQUEST_400 : status;
            String text = unparsable ? "malformed request line"
                    : effective.reasonPhrase().toLowerCase(java.util.Locale.ROOT)
                    + (message == null || message.isBlank() || effective.code() >= 500 ? "" : ": " + message);
            headers.set(HeaderValues.CONTENT_TYPE_JSON);
            return DirectHandler.TransportResponse.builder()
                    .status(effective)
                    .headers(headers)
                    .entity(errorBody(text))
                    .build();
        };
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            b.addHandler(type, json);
        }
        return b.build();
    }

    private static byte[] errorBody(String message) {
        try {
            return io.wattstream.model.Json.MAPPER.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
    }

    private ErrorMapping() {
    }
}
