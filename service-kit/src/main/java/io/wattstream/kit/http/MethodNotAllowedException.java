package io.wattstream.kit.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.wattstream.kit.JsonErrors;

/** A known path asked with a method it does not support: 405, and {@code Allow} lists the ones it does. */
public final class MethodNotAllowedException extends HttpException {

    private final String allow;
    private final Method method;

    MethodNotAllowedException(Method method, String allow) {
        super("method " + JsonErrors.clip(method.text()) + " is not allowed here; allowed: " + allow, Status.METHOD_NOT_ALLOWED_405, true);
        this.allow = allow;
        this.method = method;
        header(HeaderValues.create(HeaderNames.ALLOW, allow));
    }

    /** The {@code Allow} value, e.g. {@code GET, HEAD, POST, OPTIONS}. */
    public String allow() {
        return allow;
    }

    public Method method() {
        return method;
    }
}
