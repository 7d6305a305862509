package io.wattstream.kit.access;

/**
 * Who made a request: the name of the token it presented (directly or through a dashboard login)
 * and that token's role. Handlers find it with {@link AccessFilter#principal}.
 */
public record Principal(String name, Role role) {
}
