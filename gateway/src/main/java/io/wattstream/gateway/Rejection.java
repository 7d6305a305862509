package io.wattstream.gateway;

/**
 * A webhook request the gateway refuses. The message is sent to the client as
 * {@code {"error": "..."}}, so it names the field and says why, and never echoes a secret.
 */
public final class Rejection extends RuntimeException {

    private final Reason reason;

    public Rejection(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Rejection(Reason reason, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
