package io.wattstream.kit.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.SetCookie;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's login, at {@value #PATH}:
 * <ul>
 *   <li>{@code POST} with {@code {"token": "..."}} (only as {@code application/json}, which a form on
 *       another site cannot send): for a valid token, a session cookie ({@code HttpOnly}: no script
 *       reads it; {@code SameSite=Strict}: no other site's request carries it; {@code Secure} over
 *       HTTPS) and the answer {@code {"name", "role", "csrf_token", "expires_at"}}; else the same 401
 *       as every refusal;</li>
 *   <li>{@code GET}: who is logged in (with the CSRF token for a cookie session), 204 when nobody;</li>
 *   <li>{@code DELETE}: ends the session and clears the cookie.</li>
 * </ul>
 * It runs behind {@link AccessFilter}, which has authenticated the request. Nothing here logs a token,
 * a cookie or a body.
 */
public final class SessionService implements HttpService {

    public static final String PATH = "/api/session";
    private static final int MAX_BODY = 4096;

    private final ApiTokens tokens;
    private final Sessions sessions;

    public SessionService(ApiTokens tokens, Sessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {PATH, PATH + "/"}) {
            rules.post(path, this::login).get(path, this::who).delete(path, this::logout);
        }
    }

    private void login(ServerRequest req, ServerResponse res) {
        boolean json = req.headers().contentType().map(t -> t.test(MediaTypes.APPLICATION_JSON)).orElse(false);
        if (!json) {
            JsonErrors.send(res, Status.UNSUPPORTED_MEDIA_TYPE_415, "send the token as application/json: {\"token\": \"...\"}");
            return;
        }
        byte[] body = req.content().as(byte[].class);
        String token = null;
        if (body.length <= MAX_BODY) {
            try {
                JsonNode node = Json.MAPPER.readTree(body);
                if (node != null && node.path("token").isTextual()) {
                    token = node.path("token").asText().strip();
                }
            } catch (IOException e) {
                token = null; // answered below, without echoing the body
            }
        }
        if (token == null) {
            JsonErrors.send(res, Status.BAD_REQUEST_400, "request body must be {\"token\": \"...\"}");
            return;
        }
        Optional<Principal> principal = tokens.authenticate(token);
        if (principal.isEmpty()) {
            JsonErrors.send(res, Status.UNAUTHORIZED_401, AccessFilter.UNAUTHENTICATED);
            return;
        }
        Sessions.Opened opened = sessions.open(principal.get());
        res.headers().addCookie(cookie(req, opened.id(), sessions.lifetime()));
        send(res, view(opened.session().principal(), opened.session()));
    }

    private void who(ServerRequest req, ServerResponse res) {
        Optional<AccessFilter.Caller> caller = req.context().get(AccessFilter.Caller.class);
        if (caller.isEmpty()) {
            // Not an error: the dashboard asks on every load, and a browser reports each 4xx as one.
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        send(res, view(caller.get().principal(), caller.get().session()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        AccessFilter.cookie(req).ifPresent(sessions::close);
        res.headers().addCookie(cookie(req, "", Duration.ZERO));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static Map<String, Object> view(Principal p, Sessions.Session session) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("role", p.role().label());
        if (session != null) {
            out.put("csrf_token", session.csrfToken());
            out.put("expires_at", session.expiresAt().toString());
        }
        return out;
    }

    private static SetCookie cookie(ServerRequest req, String value, Duration maxAge) {
        boolean https = req.isSecure() || req.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(v -> v.toLowerCase(Locale.ROOT).startsWith("https")).orElse(false);
        SetCookie.Builder b = SetCookie.builder(AccessFilter.COOKIE, value)
                .path("/")
                .httpOnly(true)
                .sameSite(SetCookie.SameSite.STRICT)
                .secure(https);
        // A zero Max-Age is left out by the builder: a date in the past clears the cookie instead.
        return (maxAge.isZero() ? b.expires(Instant.EPOCH) : b.maxAge(maxAge)).build();
    }

    private static void send(ServerResponse res, Map<String, Object> body) {
        try {
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(Json.MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException("a string map always serializes", e);
        }
    }
}
