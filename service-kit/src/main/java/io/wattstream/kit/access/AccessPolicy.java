package io.wattstream.kit.access;

import io.helidon.http.Method;
import java.util.List;

/**
 * Which role a request needs, by method and path. Every method other than GET, HEAD and OPTIONS needs
 * {@link Role#ADMIN}, whatever the path (a route added later is protected without being listed);
 * a read of a protected path needs {@link Role#VIEWER} unless reads are open; anything else (the
 * dashboard's files, the API document, health) and the listed open paths (the login) need nothing.
 *
 * <p>Patterns are a path, or a prefix ending in {@code /*}; a path also matches with a trailing slash.
 */
public final class AccessPolicy {

    private final List<String> open;
    private final List<String> protectedReads;
    private final boolean openReads;

    private AccessPolicy(List<String> open, List<String> protectedReads, boolean openReads) {
        this.open = List.copyOf(open);
        this.protectedReads = List.copyOf(protectedReads);
        this.openReads = openReads;
    }

    /**
     * @param open           paths any method may reach without a credential
     * @param protectedReads paths whose reads need a viewer
     * @param openReads      true: reads need no credential anywhere
     */
    public static AccessPolicy of(List<String> open, List<String> protectedReads, boolean openReads) {
        return new AccessPolicy(open, protectedReads, openReads);
    }

    /** The role needed, or null when the request needs no credential. */
    public Role required(Method method, String path) {
        if (matchesAny(open, path)) {
            return null;
        }
        if (!isRead(method)) {
            return Role.ADMIN;
        }
        return !openReads && matchesAny(protectedReads, path) ? Role.VIEWER : null;
    }

    /** GET, HEAD and OPTIONS change nothing; every other method is a write. */
    public static boolean isRead(Method method) {
        return method.equals(Method.GET) || method.equals(Method.HEAD) || method.equals(Method.OPTIONS);
    }

    public boolean openReads() {
        return openReads;
    }

    private static boolean matchesAny(List<String> patterns, String path) {
        for (String p : patterns) {
            if (p.endsWith("/*")) {
                String base = p.substring(0, p.length() - 2);
                if (path.equals(base) || path.startsWith(base + "/")) {
                    return true;
                }
            } else if (path.equals(p) || path.equals(p + "/")) {
                return true;
            }
        }
        return false;
    }
}
