package io.wattstream.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The query API's table of failures and their statuses; the kit writes each as {@code {"error": "..."}}. */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorMapping::api)
                .error(SQLException.class, (req, res, e) -> {
                    // A query that fails is the database's state (down, restarting, out of connections),
                    // never the client's input: every value reaches SQL as a bound, validated parameter.
                    LOG.warn("Database error on {} {}: {}", req.prologue().method(), req.path().path(), e.toString());
                    JsonErrors.send(req, res, Status.SERVICE_UNAVAILABLE_503, "database unavailable");
                })
                .error(JsonProcessingException.class, (req, res, e) -> JsonErrors.send(req, res, Status.BAD_REQUEST_400,
                        "request body is not valid JSON: " + e.getOriginalMessage()))
                // Helidon's and the kit's own answers keep their status and headers: 404 for an unknown
                // path, 405 with Allow, 400/413 for what it refuses.
                .error(HttpException.class, JsonErrors::helidon)
                .error(RuntimeException.class, JsonErrors.unexpected(LOG, "internal error"));
    }

    private static void api(ServerRequest req, ServerResponse res, ApiException e) {
        if (e.status() == 503) {
            LOG.warn("{} {} unavailable: {}", req.prologue().method(), req.path().path(), e.getMessage());
        }
        JsonErrors.send(req, res, Status.create(e.status()), e.getMessage(), e.detail());
    }

    private ErrorMapping() {
    }
}
