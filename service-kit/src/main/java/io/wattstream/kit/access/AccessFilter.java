package io.wattstream.kit.access;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.wattstream.kit.JsonErrors;
import java.util.Optional;

/**
 * Authentication and authorisation of every request, before any route runs. A request carries a
 * credential as {@code Authorization: Bearer <token>} (API clients) or as the session cookie a
 * dashboard login set ({@link SessionService}). The {@link AccessPolicy} says what it needs:
 *
 * <ul>
 *   <li>no or an unknown credential where one is needed: 401, the same answer whether a token was
 *       sent, was wrong or names nothing;</li>
 *   <li>a valid credential with too small a role: 403;</li>
 *   <li>a write authenticated by the cookie without the session's {@value #CSRF_HEADER} header: 403.
 *       A browser adds the cookie to requests another site makes it send, but only this origin's page
 *       can read the CSRF token; a bearer token is never sent by a browser on its own, so it needs none.</li>
 * </ul>
 *
 * The principal of an authenticated request is in its context for the handlers ({@link #principal}).
 */
public final class AccessFilter implements Filter {

    public static final String COOKIE = "wattstream_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String UNAUTHENTICATED = "authentication required: send Authorization: Bearer <token>, or log in";
    static final String CSRF_REFUSED = "missing or invalid " + CSRF_HEADER + " header for a write with the session cookie";

    private final ApiTokens tokens;
    private final Sessions sessions;
    private final AccessPolicy policy;

    public AccessFilter(ApiTokens tokens, Sessions sessions, AccessPolicy policy) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.policy = policy;
    }

    /** The authenticated caller of a request, if any. */
    public static Optional<Principal> principal(ServerRequest req) {
        return req.context().get(Principal.class);
    }

    /** How the request authenticated: the principal, and the session when it came with the cookie. */
    record Caller(Principal principal, Sessions.Session session) {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Method method = req.prologue().method();
        Role needed = policy.required(method, req.path().path());
        Optional<Caller> caller = authenticate(req);
        caller.ifPresent(c -> {
            req.context().register(c.principal());
            req.context().register(c);
        });
        if (needed == null) {
            chain.proceed();
            return;
        }
        if (caller.isEmpty()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"wattstream\"");
            JsonErrors.send(res, Status.UNAUTHORIZED_401, UNAUTHENTICATED);
            return;
        }
        Caller c = caller.get();
        if (!c.principal().role().allows(needed)) {
            JsonErrors.send(res, Status.FORBIDDEN_403, "this needs the " + needed.label() + " role");
            return;
        }
        if (!AccessPolicy.isRead(method) && c.session() != null
                && !Sessions.csrfMatches(c.session(), req.headers().first(HeaderNames.create(CSRF_HEADER)).orElse(null))) {
            JsonErrors.send(res, Status.FORBIDDEN_403, CSRF_REFUSED);
            return;
        }
        chain.proceed();
    }

    /** The bearer token when there is an Authorization header (a wrong one is not replaced by the cookie). */
    Optional<Caller> authenticate(ServerRequest req) {
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().strip();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return tokens.authenticate(value.substring(7).strip()).map(p -> new Caller(p, null));
        }
        return cookie(req).flatMap(sessions::find).map(s -> new Caller(s.principal(), s));
    }

    static Optional<String> cookie(ServerRequest req) {
        return req.headers().cookies().first(COOKIE).asOptional();
    }
}
