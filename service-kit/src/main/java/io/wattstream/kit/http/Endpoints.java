package io.wattstream.kit.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The routing rules every service registers its endpoints on, so that each path answers by RFC 9110
 * whatever the service: a {@code GET} route also answers {@code HEAD} (the same status and headers,
 * no body), {@code OPTIONS} answers 204 with {@code Allow}, and a method the path does not support
 * is a 405 with {@code Allow} rather than a 404. It records every route given by method and path;
 * {@link #finish()} then adds the {@code OPTIONS} and 405 routes for each recorded path.
 */
public final class Endpoints implements HttpRules {

    /** Request context marker: the request is on one of the prototype's routes. */
    record PrototypeRoute() {
    }

    private static final PrototypeRoute PROTOTYPE = new PrototypeRoute();

    private final HttpRules target;
    private final String prefix;
    private final Map<String, Path> paths;

    private static final class Path {
        final Set<Method> methods = new LinkedHashSet<>();
        boolean prototype;
    }

    private Endpoints(HttpRules target, String prefix, Map<String, Path> paths) {
        this.target = target;
        this.prefix = prefix;
        this.paths = paths;
    }

    /** Rules that register on {@code routing}. */
    public static Endpoints on(HttpRules routing) {
        return new Endpoints(routing, "", new LinkedHashMap<>());
    }

    /**
     * {@code handler} as one of the prototype's routes: an error answer there also carries Django REST
     * Framework's {@code detail}, so a client written for the prototype reads it as before.
     */
    public static Handler prototype(Handler handler) {
        return new PrototypeHandler(handler);
    }

    /** True when the request is on a route marked with {@link #prototype(Handler)}. */
    public static boolean onPrototypeRoute(ServerRequest req) {
        return req.context().get(PrototypeRoute.class).isPresent();
    }

    /** True for a {@code HEAD} request (answered by a {@code GET} route without its body). */
    public static boolean isHead(ServerRequest req) {
        return req.prologue().method() == Method.HEAD;
    }

    private record PrototypeHandler(Handler handler) implements Handler {
        @Override
        public void handle(io.helidon.webserver.http.ServerRequest req, io.helidon.webserver.http.ServerResponse res)
                throws Exception {
            req.context().register(PROTOTYPE);
            handler.handle(req, res);
        }
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService s : services) {
            s.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String pathPattern, HttpService... services) {
        Endpoints nested = new Endpoints(target, join(prefix, pathPattern), paths);
        for (HttpService s : services) {
            s.routing(nested);
        }
        return this;
    }

    /** A route given whole (any method, a matcher) is passed on as it is and is not part of {@code Allow}. */
    @Override
    public HttpRules route(HttpRoute route) {
        if (!prefix.isEmpty()) {
            throw new IllegalStateException("under " + prefix + " register routes by method and path pattern");
        }
        target.route(route);
        return this;
    }

    @Override
    public HttpRules route(Method method, String pathPattern, Handler handler) {
        String full = join(prefix, pathPattern);
        Path path = paths.computeIfAbsent(full, p -> new Path());
        path.methods.add(method);
        path.prototype |= handler instanceof PrototypeHandler;
        target.route(method, full, handler);
        if (method == Method.GET) {
            path.methods.add(Method.HEAD);
            target.route(Method.HEAD, full, HeadResponse.handler(handler));
        }
        return this;
    }

    /**
     * Adds, for every recorded path, {@code OPTIONS} (unless the service answers it) and a 405 with
     * {@code Allow} for every other method. Call it after the last route and before any catch-all.
     */
    public void finish() {
        paths.forEach((pattern, path) -> {
            Set<Method> allowed = new LinkedHashSet<>(path.methods);
            allowed.add(Method.OPTIONS);
            String allow = allowed.stream().sorted(Comparator.comparingInt(Endpoints::order))
                    .map(Method::text).collect(Collectors.joining(", "));
            if (!path.methods.contains(Method.OPTIONS)) {
                target.route(Method.predicate(Method.OPTIONS), PathMatchers.create(pattern), (req, res) -> {
                    res.header(HeaderNames.ALLOW, allow);
                    res.header(HeaderNames.CACHE_CONTROL, "no-store");
                    res.status(Status.NO_CONTENT_204).send();
                });
            }
            boolean prototype = path.prototype;
            target.route(m -> !allowed.contains(m), PathMatchers.create(pattern), (req, res) -> {
                if (prototype) {
                    req.context().register(PROTOTYPE);
                }
                throw new MethodNotAllowedException(req.prologue().method(), allow);
            });
        });
    }

    /** {@code Allow} lists the methods in one order whatever order the routes came in. */
    private static int order(Method m) {
        int i = ORDER.indexOf(m);
        return i < 0 ? ORDER.size() : i;
    }

    private static final List<Method> ORDER = List.of(Method.GET, Method.HEAD, Method.POST, Method.PUT, Method.PATCH,
            Method.DELETE, Method.OPTIONS);

    private static String join(String prefix, String pattern) {
        if (prefix.isEmpty() || prefix.equals("/")) {
            return pattern;
        }
        return pattern.equals("/") ? prefix : prefix + pattern;
    }
}
