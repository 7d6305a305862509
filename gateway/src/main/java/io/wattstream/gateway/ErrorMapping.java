package io.wattstream.gateway;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.InvalidReadingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's table of failures and their answers: what it throws, and what Helidon rejects before
 * or while reading a request (an oversized body, chunked or not, or a malformed request). Each is
 * counted under its {@link Reason} and written by the kit as {@code {"error": "..."}}.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private final GatewayMetrics metrics;
    private final long retryAfterSeconds;
    private final int maxBodyBytes;

    public ErrorMapping(GatewayMetrics metrics, GatewaySettings settings) {
        this.metrics = metrics;
        this.retryAfterSeconds = settings.retryAfter().toSeconds();
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    /** Registers the handlers on a routing. */
    public void register(HttpRouting.Builder routing) {
        routing.error(Rejection.class, (req, res, e) -> send(req, res, e.reason(), e.getMessage()))
                .error(InvalidReadingException.class, (req, res, e) -> send(req, res, Reason.OUT_OF_BOUNDS, e.getMessage()))
                .error(HttpException.class, (req, res, e) -> {
                    for (Header h : e.headers()) {
                        res.header(h); // Allow of a 405
                    }
                    send(req, res, reasonFor(e.status()), e.getMessage());
                })
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.error("unexpected failure on {} {}", req.prologue().method(), req.path().path(), e);
                    send(req, res, Reason.INTERNAL_ERROR, "internal error; the reading was not stored");
                });
    }

    /** Handlers for errors Helidon answers itself, before any route runs: counted, and 413 says the limit. */
    public DirectHandlers directHandlers() {
        return JsonErrors.directHandlers((type, answer) -> {
            Reason reason = type == EventType.PAYLOAD_TOO_LARGE ? Reason.PAYLOAD_TOO_LARGE : reasonFor(answer.status());
            metrics.rejected(reason);
            return reason == Reason.PAYLOAD_TOO_LARGE
                    ? new JsonErrors.Answer(Status.REQUEST_ENTITY_TOO_LARGE_413, tooLarge(maxBodyBytes))
                    : answer;
        });
    }

    void send(ServerRequest req, ServerResponse res, Reason reason, String message) {
        metrics.rejected(reason);
        switch (reason) {
            case KAFKA_UNAVAILABLE -> res.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
            case UNAUTHORIZED -> res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            default -> {
            }
        }
        JsonErrors.send(req, res, reason.status(), message);
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
}
