package io.wattstream.kit.access;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dashboard logins: a session is opened for a valid token and named by a random 256-bit id that
 * travels only in an {@code HttpOnly} cookie; the token itself never leaves the login request. Each
 * session has its own random CSRF token, which the page sends in a header with every write.
 *
 * <p>Sessions live in this process (a restart or another instance asks for a new login) and are kept
 * by the SHA-256 of their id, so what memory holds cannot be replayed as a cookie.
 */
public final class Sessions {

    /** More open sessions than this means something is opening them in a loop: the oldest go first. */
    static final int MAX_SESSIONS = 10_000;

    /** A session as the filter sees it. */
    public record Session(Principal principal, String csrfToken, Instant expiresAt) {
    }

    /** What a login hands out: the cookie value and the session it names. */
    public record Opened(String id, Session session) {
    }

    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(Duration lifetime, Clock clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Opens a session for {@code principal}. */
    public Opened open(Principal principal) {
        prune();
        String id = random();
        Session s = new Session(principal, random(), clock.instant().plus(lifetime));
        byDigest.put(digest(id), s);
        return new Opened(id, s);
    }

    /** The live session this cookie value names; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String key = digest(id);
        Session s = byDigest.get(key);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expiresAt())) {
            byDigest.remove(key);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** Ends the session this cookie value names (nothing when there is none). */
    public void close(String id) {
        if (id != null && !id.isEmpty() && id.length() <= 100) {
            byDigest.remove(digest(id));
        }
    }

    /** Whether {@code presented} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(ApiTokens.sha256(s.csrfToken()), ApiTokens.sha256(presented));
    }

    int size() {
        return byDigest.size();
    }

    private void prune() {
        Instant now = clock.instant();
        byDigest.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        while (byDigest.size() >= MAX_SESSIONS) {
            byDigest.entrySet().stream().min(Map.Entry.comparingByValue(
                    Comparator.comparing(Session::expiresAt))).ifPresent(e -> byDigest.remove(e.getKey()));
        }
    }

    private static String random() {
        return ApiTokens.generate().substring(ApiTokens.PREFIX.length());
    }

    private static String digest(String id) {
        return HexFormat.of().formatHex(ApiTokens.sha256(id));
    }
}
