package io.wattstream.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.http.Endpoints;
import io.wattstream.model.Json;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * Every error answer of every service: status plus {@code {"error": "..."}}. A service keeps only its
 * own table of which exception gets which status and message, and registers it with these writers.
 * On the prototype's routes ({@link Endpoints#prototype}) the body also carries Django REST
 * Framework's {@code detail}, so a client written for the prototype keeps reading its errors; an
 * error answer to {@code HEAD} has no body.
 */
public final class JsonErrors {

    private static final int MAX_ECHO = 80;

    private JsonErrors() {
    }

    /** What a direct handler answers: the status and the message of the JSON body. */
    public record Answer(Status status, String message) {
    }

    /** {@code {"error": message}} as bytes. */
    public static byte[] body(String message) {
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("error", message == null ? "" : message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
    }

    /** {@code {"detail": detail, "error": message}}, as the prototype's routes answer. */
    static byte[] body(String message, String detail) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("detail", detail);
        body.put("error", message == null ? "" : message);
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
    }

    /**
     * Sends the error, unless an answer has already started (a streamed answer that fails midway can
     * only be cut off; its connection is closed instead). Errors are never cached. Without the request
     * it can neither add the prototype's {@code detail} nor leave out the body of a {@code HEAD}:
     * prefer {@link #send(ServerRequest, ServerResponse, Status, String)}.
     */
    public static void send(ServerResponse res, Status status, String message) {
        if (res.isSent()) {
            return;
        }
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body(message));
    }

    /** The error for this request, with the prototype's {@code detail} where it is due (see {@link #detail}). */
    public static void send(ServerRequest req, ServerResponse res, Status status, String message) {
        send(req, res, status, message, null);
    }

    /**
     * The error for this request; on a prototype route with {@code detail} (null: the one Django REST
     * Framework gives that status, see {@link #detail}). A {@code HEAD} gets the headers alone.
     */
    public static void send(ServerRequest req, ServerResponse res, Status status, String message, String detail) {
        if (res.isSent()) {
            return;
        }
        byte[] body = Endpoints.onPrototypeRoute(req)
                ? body(message, detail != null ? detail : detail(status, req.prologue().method(), message))
                : body(message);
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        if (req.prologue().method() == Method.HEAD) {
            res.headers().contentLength(body.length);
            res.send();
        } else {
            res.send(body);
        }
    }

    /**
     * Django REST Framework's {@code detail} for a status: its own words where it has them ({@code Not
     * found.}, {@code Method "PUT" not allowed.}), else the message itself.
     */
    static String detail(Status status, Method method, String message) {
        return switch (status.code()) {
            case 401 -> "Authentication credentials were not provided.";
            case 403 -> "You do not have permission to perform this action.";
            case 404 -> "Not found.";
            case 405 -> "Method \"" + clip(method.text()) + "\" not allowed.";
            case 406 -> "Could not satisfy the request Accept header.";
            default -> message;
        };
    }

    /**
     * Helidon's own refusals keep their status and headers ({@code Allow} of a 405): a 304 without a
     * body, everything else (404 for an unknown path, 400, 413 ...) with a JSON error.
     */
    public static void helidon(ServerRequest req, ServerResponse res, HttpException e) {
        for (Header h : e.headers()) {
            res.header(h);
        }
        if (e.status().code() == Status.NOT_MODIFIED_304.code()) {
            res.status(e.status()).send();
        } else {
            send(req, res, e.status(), String.valueOf(e.getMessage()));
        }
    }

    /** The last resort: logs the failure with its request and answers 500 with {@code message}. */
    public static ErrorHandler<RuntimeException> unexpected(Logger log, String message) {
        return (req, res, e) -> {
            log.error("unexpected failure on {} {}", req.prologue().method(), req.path().path(), e);
            send(req, res, Status.INTERNAL_SERVER_ERROR_500, message);
        };
    }

    /** Direct handlers with the default answers; see {@link #directHandlers(BiFunction)}. */
    public static DirectHandlers directHandlers() {
        return directHandlers((type, answer) -> answer);
    }

    /**
     * JSON answers for what Helidon refuses itself, before any route runs (a malformed request, an
     * oversized body). A request line it cannot parse (a method with a non-ASCII or control character)
     * arrives as an internal error without a method: that is the client's fault, so 400. The message is
     * the status's reason phrase with Helidon's detail for a 4xx, clipped to one short line; a 5xx gives
     * no detail. {@code adjust} may change the answer per event (count it, replace the message).
     */
    public static DirectHandlers directHandlers(BiFunction<EventType, Answer, Answer> adjust) {
        DirectHandler json = (request, type, status, headers, message) -> {
            Answer answer = adjust.apply(type, defaultAnswer(request.method().isEmpty(), type, status, message));
            headers.set(HeaderValues.CONTENT_TYPE_JSON);
            DirectHandler.TransportResponse.Builder r = DirectHandler.TransportResponse.builder()
                    .status(answer.status())
                    .headers(headers);
            // an error answer to HEAD has no body
            return (request.method().equals("HEAD") ? r : r.entity(body(answer.message()))).build();
        };
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            b.addHandler(type, json);
        }
        return b.build();
    }

    static Answer defaultAnswer(boolean noMethod, EventType type, Status status, String message) {
        if (type == EventType.INTERNAL_ERROR && noMethod) {
            return new Answer(Status.BAD_REQUEST_400, "malformed request line");
        }
        String phrase = status.reasonPhrase().toLowerCase(Locale.ROOT);
        boolean detail = message != null && !message.isBlank() && status.code() < 500;
        return new Answer(status, detail ? phrase + ": " + clip(message) : phrase);
    }

    /** Client input echoed in an error, kept short and on one line. */
    public static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= MAX_ECHO ? oneLine : oneLine.substring(0, MAX_ECHO) + "...";
    }
}
