package io.wattstream.kit.access;

import java.util.Locale;

/** What a credential may do: a {@code viewer} reads, an {@code admin} also writes. */
public enum Role {
    VIEWER,
    ADMIN;

    /** Whether this role may do what {@code needed} may. */
    public boolean allows(Role needed) {
        return this == ADMIN || needed == VIEWER;
    }

    /** {@code viewer} or {@code admin}, case-insensitive. */
    public static Role parse(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "viewer" -> VIEWER;
            case "admin" -> ADMIN;
            default -> throw new IllegalArgumentException("a role is viewer or admin");
        };
    }

    /** As written in settings and answers. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
