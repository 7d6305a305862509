package io.wattstream.gateway;

import io.helidon.http.Status;

/**
 * Why a webhook request was turned away: the HTTP status it gets and the tag it is counted under in
 * {@code gateway_requests_rejected_total{reason=...}}.
 */
public enum Reason {
    MALFORMED_BODY(Status.BAD_REQUEST_400),
    NOT_A_READING(Status.BAD_REQUEST_400),
    MISSING_FIELD(Status.BAD_REQUEST_400),
    INVALID_VALUE(Status.BAD_REQUEST_400),
    OUT_OF_BOUNDS(Status.BAD_REQUEST_400),
    UNSUBSTITUTED_TOKEN(Status.BAD_REQUEST_400),
    INVALID_DEVICE_ID(Status.BAD_REQUEST_400),
    INVALID_TIMESTAMP(Status.BAD_REQUEST_400),
    BAD_REQUEST(Status.BAD_REQUEST_400),
    UNAUTHORIZED(Status.UNAUTHORIZED_401),
    NOT_FOUND(Status.NOT_FOUND_404),
    METHOD_NOT_ALLOWED(Status.METHOD_NOT_ALLOWED_405),
    REQUEST_TIMEOUT(Status.REQUEST_TIMEOUT_408),
    PAYLOAD_TOO_LARGE(Status.REQUEST_ENTITY_TOO_LARGE_413),
    UNSUPPORTED_MEDIA_TYPE(Status.UNSUPPORTED_MEDIA_TYPE_415),
    KAFKA_UNAVAILABLE(Status.SERVICE_UNAVAILABLE_503),
    INTERNAL_ERROR(Status.INTERNAL_SERVER_ERROR_500);

    private final Status status;

    Reason(Status status) {
        this.status = status;
    }

    public Status status() {
        return status;
    }

    /** The metric tag: lower snake case of the constant. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
