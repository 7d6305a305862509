package io.wattstream.notifier;

import java.time.Duration;

/**
 * The result of one send.
 *
 * @param status     HTTP status or SMTP reply code, when the receiver answered
 * @param retryAfter the receiver's own hint ({@code Retry-After}), else null
 */
record Attempt(Result result, Integer status, String detail, Duration retryAfter) {

    /** DELIVERED: confirmed (2xx, SMTP accepted); RETRY: may work later; REFUSED: will not work as is. */
    enum Result { DELIVERED, RETRY, REFUSED }

    static Attempt delivered(Integer status) {
        return new Attempt(Result.DELIVERED, status, null, null);
    }

    static Attempt retry(Integer status, String detail, Duration retryAfter) {
        return new Attempt(Result.RETRY, status, detail, retryAfter);
    }

    static Attempt refused(Integer status, String detail) {
        return new Attempt(Result.REFUSED, status, detail, null);
    }
}
