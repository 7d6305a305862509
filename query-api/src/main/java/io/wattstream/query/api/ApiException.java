package io.wattstream.query.api;

/**
 * A request that cannot be answered, with the HTTP status it maps to. Thrown anywhere in a handler
 * and turned into {@code {"error": "..."}} by {@link ErrorMapping}, the one place that writes errors.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String detail;

    protected ApiException(int status, String message, Throwable cause) {
        this(status, message, null, cause);
    }

    private ApiException(int status, String message, String detail, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    /** What Django REST Framework said in {@code detail} for this case on the prototype's routes; null: its default. */
    public String detail() {
        return detail;
    }

    /** 400: a parameter or body field is missing, malformed or out of range; the message names it. */
    public static ApiException badRequest(String message) {
        return new ApiException(400, message, null);
    }

    /** 404: the addressed thing (a device, a page) does not exist. */
    public static ApiException notFound(String message) {
        return new ApiException(404, message, null);
    }

    /** 404 for a page past the end of the list, with the prototype's {@code "detail": "Invalid page."}. */
    public static ApiException invalidPage(String message) {
        return new ApiException(404, message, "Invalid page.", null);
    }

    /** 410: the range asked for is past the retention of the level asked for; the message names the ones that keep it. */
    public static ApiException gone(String message) {
        return new ApiException(410, message, null);
    }

    /** 409: the change would break something that depends on what it changes; the message says what. */
    public static ApiException conflict(String message) {
        return new ApiException(409, message, null);
    }

    /** 503: a dependency (database, stream processor, broker) cannot be reached right now. */
    public static ApiException unavailable(String message, Throwable cause) {
        return new ApiException(503, message, cause);
    }
}
