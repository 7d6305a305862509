package io.wattstream.kit.access;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Access control of a service that takes writes: its settings, and the filter and login it adds to a
 * routing. A service that includes {@link #SETTINGS} in its table refuses to start without an admin token.
 *
 * @param tokens         the accepted API tokens
 * @param openReads      reads need no credential
 * @param sessionTimeout how long a dashboard login lasts
 */
public record Access(ApiTokens tokens, boolean openReads, Duration sessionTimeout) {

    public static final Setting ADMIN_TOKEN = Setting.of("AUTH_ADMIN_TOKEN", "app.auth.admin-token", "",
            "the admin API token in plain, at least 32 random characters; only its SHA-256 is kept, it is never logged");
    public static final Setting TOKENS = Setting.of("AUTH_TOKENS", "app.auth.tokens", "",
            "further API tokens as name:role:sha256-hex,... (role viewer or admin; the SHA-256 of each token, never the token)");
    public static final Setting OPEN_READS = Setting.of("AUTH_OPEN_READS", "app.auth.open-reads", "false",
            "true: reads need no token; every write still needs an admin token");
    public static final Setting SESSION_TIMEOUT = Setting.of("AUTH_SESSION_TIMEOUT", "app.auth.session-timeout", "12h",
            "how long a dashboard login lasts");

    /** Every access setting, for a service's settings table. */
    public static final List<Setting> SETTINGS = List.of(ADMIN_TOKEN, TOKENS, OPEN_READS, SESSION_TIMEOUT);

    /** Reads the access settings; without any admin token the service must not start. */
    public static Access from(SettingsReader r) {
        ApiTokens tokens;
        try {
            tokens = ApiTokens.of(r.string(ADMIN_TOKEN.key()), r.string(TOKENS.key()));
        } catch (IllegalArgumentException e) {
            // The message names the entry by position; a token is never part of it.
            throw new IllegalArgumentException(ADMIN_TOKEN.label() + " / " + TOKENS.label() + ": " + e.getMessage());
        }
        boolean openReads = r.bool(OPEN_READS.key());
        Duration timeout = r.duration(SESSION_TIMEOUT.key());
        if (!tokens.hasAdmin()) {
            throw new IllegalArgumentException(ADMIN_TOKEN.label() + " must be set (or " + TOKENS.env()
                    + " must hold an admin entry): every write needs an admin token");
        }
        return new Access(tokens, openReads, timeout);
    }

    /**
     * Adds the filter to {@code routing} (before every route) and the login to {@code endpoints};
     * {@code protectedReads} are the paths whose reads need a viewer (every write needs an admin anywhere).
     */
    public void install(HttpRouting.Builder routing, HttpRules endpoints, List<String> protectedReads) {
        Sessions sessions = new Sessions(sessionTimeout, Clock.systemUTC());
        AccessPolicy policy = AccessPolicy.of(List.of(SessionService.PATH), protectedReads, openReads);
        routing.addFilter(new AccessFilter(tokens, sessions, policy));
        endpoints.register(new SessionService(tokens, sessions));
    }

    /** Never the tokens. */
    @Override
    public String toString() {
        return "Access[" + tokens + ", openReads=" + openReads + ", sessionTimeout=" + sessionTimeout + "]";
    }
}
