package io.wattstream.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.InvalidReadingException;
import io.wattstream.model.Json;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers, each with a JSON body {@code {"error": "..."}}:
 * routing error handlers for what the gateway throws, and direct handlers for what Helidon rejects
 * before or while reading a request (an oversized body, chunked or not, or a malformed request).
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private final GatewayMetrics metrics;
    private final int retryAfterSeconds;
    private final int maxBodyBytes;

    public ErrorMapping(GatewayMetrics metrics, GatewaySettings settings) {
        this.metrics = metrics;
        this.retryAfterSeconds = settings.retryAfterSeconds();
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    /** Registers the handlers on a routing. */
    public void register(HttpRouting.Builder routing) {
        routing.error(Rejection.class, (req, res, e) -> send(res, e.reason(), e.getMessage()))
                .error(InvalidReadingException.class, (req, res, e) -> send(res, Reason.OUT_OF_BOUNDS, e.getMessage()))
                .error(HttpException.class, (req, res, e) -> send(res, reasonFor(e.status()), e.getMessage()))
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.error("unexpected failure on {} {}", req.prologue().method(), req.path().path(), e);
                    send(res, Reason.INTERNAL_ERROR, "internal error; the reading was not stored");
                });
    }

    /** Handlers for errors Helidon answers itself, before any route runs. */
    public DirectHandlers directHandlers() {
        DirectHandler json = (request, type, status, headers, message) -> {
            // Helidon answers a request line it cannot parse (a method with a non-ASCII or control
            // character) as an internal error, before any prologue exists: that is the client's fault.
            boolean unparsable = type == EventType.INTERNAL_ERROR && request.method().isEmpty();
            Status effective = unparsable ? Status.BAD_REQUEST_400 : status;
            Reason reason = type == EventType.PAYLOAD_TOO_LARGE ? Reason.PAYLOAD_TOO_LARGE : reasonFor(effective);
            metrics.rejected(reason);
            headers.set(HeaderValues.CONTENT_TYPE_JSON);
            return DirectHandler.TransportResponse.builder()
                    .status(reason == Reason.PAYLOAD_TOO_LARGE ? Status.REQUEST_ENTITY_TOO_LARGE_413 : effective)
                    .headers(headers)
                    .entity(body(messageFor(reason, effective, unparsable ? "malformed request line" : message)))
                    .build();
        };
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            b.addHandler(type, json);
        }
        return b.build();
    }

    void send(ServerResponse res, Reason reason, String message) {
        metrics.rejected(reason);
        switch (reason) {
            case KAFKA_UNAVAILABLE -> res.header(HeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            case UNAUTHORIZED -> res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            case METHOD_NOT_ALLOWED -> res.header(HeaderNames.ALLOW, "GET, POST");
            default -> {
            }
        }
        res.status(reason.status());
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(body(message));
    }

    private String messageFor(Reason reason, Status status, String helidonMessage) {
        return switch (reason) {
            case PAYLOAD_TOO_LARGE -> tooLarge(maxBodyBytes);
            default -> status.reasonPhrase().toLowerCase(java.util.Locale.ROOT)
                    + (helidonMessage == null || helidonMessage.isBlank() ? "" : ": " + Texts.clip(helidonMessage));
        };
    }

    static String tooLarge(int maxBodyBytes) {
        return "the body is larger than the limit of " + maxBodyBytes + " bytes";
    }

    private static Reason reasonFor(Status status) {
        return switch (status.code()) {
            case 401 -> Reason.UNAUTHORIZED;
            case 404 -> Reason.NOT_FOUND;
            case 405 -> Reason.METHOD_NOT_ALLOWED;
            case 413 -> Reason.PAYLOAD_TOO_LARGE;
            case 415 -> Reason.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> Reason.KAFKA_UNAVAILABLE;
            default -> status.code() >= 500 ? Reason.INTERNAL_ERROR : Reason.BAD_REQUEST;
        };
    }

    static byte[] body(String message) {
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
    }
}
