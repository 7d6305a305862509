package io.wattstream.streams.state;

import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code /state} service's table of errors and their statuses; the kit writes each as {@code {"error": "..."}}. */
public final class StateErrors {

    private static final Logger LOG = LoggerFactory.getLogger(StateErrors.class);

    /** No instance has state for the device. */
    static final class UnknownDeviceException extends RuntimeException {
        UnknownDeviceException(String id) {
            super("unknown device '" + id + "'");
        }
    }

    /** The state is not queryable right now (starting, rebalancing, restoring). */
    static final class NotReadyException extends RuntimeException {
        NotReadyException(String message) {
            super(message);
        }
    }

    /** The instance that owns the answer could not be reached. */
    static final class PeerException extends RuntimeException {
        PeerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(IllegalArgumentException.class, (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, e.getMessage()))
                .error(UnknownDeviceException.class, (req, res, e) -> send(req, res, Status.NOT_FOUND_404, e.getMessage()))
                .error(NotReadyException.class, (req, res, e) -> send(req, res, Status.SERVICE_UNAVAILABLE_503, e.getMessage()))
                .error(InvalidStateStoreException.class, (req, res, e) -> send(req, res, Status.SERVICE_UNAVAILABLE_503,
                        "state is not queryable right now (" + e.getMessage() + "); retry shortly"))
                .error(PeerException.class, (req, res, e) -> {
                    LOG.warn("{}", e.getMessage(), e.getCause());
                    send(req, res, Status.BAD_GATEWAY_502, e.getMessage());
                })
                .error(HttpException.class, JsonErrors::helidon)
                .error(RuntimeException.class, JsonErrors.unexpected(LOG, "internal error"));
    }

    private static void send(ServerRequest req, ServerResponse res, Status status, String message) {
        JsonErrors.send(req, res, status, message == null ? status.reasonPhrase() : message);
    }

    private StateErrors() {
    }
}
