package io.wattstream.kit.http;

import io.helidon.common.configurable.AllowList;
import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.http.NotFoundException;
import io.helidon.http.RequestedUriDiscoveryContext;
import io.helidon.http.RequestedUriDiscoveryContext.RequestedUriDiscoveryType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.wattstream.kit.JsonErrors;
import io.wattstream.kit.access.Access;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The web server of every service, built one way: the service's own exception table, its endpoints
 * with RFC 9110 semantics ({@link Endpoints}), {@code /observe/health} and {@code /observe/metrics}
 * ({@link Observe}), gzip when asked and worth it ({@link Compression}), JSON answers for what Helidon
 * refuses before routing, and a JSON 404 for any other path. The requested URI (links in answers)
 * follows {@code Forwarded} / {@code X-Forwarded-*} from a proxy on the same host, such as the one
 * origin of the local stack. A service that takes writes adds {@link #access} control.
 */
public final class ServiceServer {

    private final String name;
    private Config config = Config.empty();
    private Integer port;
    private Consumer<HttpRouting.Builder> errors = r -> {
    };
    private DirectHandlers directHandlers = JsonErrors.directHandlers();
    private final List<HealthCheck> checks = new ArrayList<>();
    private List<String> meterPrefixes;
    private final List<HttpService> services = new ArrayList<>();
    private String notFoundHint = "";
    private Consumer<WebServerConfig.Builder> tuning = b -> {
    };
    private Access access;
    private List<String> protectedReads = List.of();

    private ServiceServer(String name) {
        this.name = name;
    }

    /** A server for the service {@code name} (used in messages). */
    public static ServiceServer builder(String name) {
        return new ServiceServer(name);
    }

    /** The service's {@code server} config node (host, port, timeouts ...). */
    public ServiceServer config(Config serverConfig) {
        this.config = serverConfig;
        return this;
    }

    public ServiceServer port(int port) {
        this.port = port;
        return this;
    }

    /** Registers the service's table of exceptions and their answers. */
    public ServiceServer errors(Consumer<HttpRouting.Builder> errors) {
        this.errors = errors;
        return this;
    }

    /** Answers for what Helidon refuses before any route runs; {@link JsonErrors#directHandlers()} by default. */
    public ServiceServer directHandlers(DirectHandlers directHandlers) {
        this.directHandlers = directHandlers;
        return this;
    }

    /** A readiness check of {@code /observe/health}. */
    public ServiceServer check(HealthCheck check) {
        checks.add(check);
        return this;
    }

    /**
     * Serves {@code /observe/metrics}: the meters named {@code <prefix>.*} for any of the prefixes
     * (a service that bridges another library's meters names that library's too), and the JVM's.
     */
    public ServiceServer metrics(String meterPrefix, String... more) {
        List<String> prefixes = new ArrayList<>();
        prefixes.add(Objects.requireNonNull(meterPrefix));
        prefixes.addAll(List.of(more));
        this.meterPrefixes = List.copyOf(prefixes);
        return this;
    }

    /** The service's endpoints, registered in order (files last, so an API path is never a file). */
    public ServiceServer routes(HttpService... services) {
        this.services.addAll(List.of(services));
        return this;
    }

    /** Appended to the 404 message for an unknown path, e.g. {@code "; see /openapi"}. */
    public ServiceServer notFoundHint(String hint) {
        this.notFoundHint = hint;
        return this;
    }

    /** Further settings of the web server (payload limit, idle connections ...); the config node may override them. */
    public ServiceServer tuning(Consumer<WebServerConfig.Builder> tuning) {
        this.tuning = tuning;
        return this;
    }

    /**
     * Access control ({@link Access}): a filter before every route (writes need an admin, reads of
     * {@code protectedReads} a viewer unless reads are open) and the dashboard's login.
     */
    public ServiceServer access(Access access, List<String> protectedReads) {
        this.access = Objects.requireNonNull(access);
        this.protectedReads = List.copyOf(protectedReads);
        return this;
    }

    /** Builds and starts the server. */
    public WebServer start() {
        HttpRouting.Builder routing = HttpRouting.builder();
        errors.accept(routing);
        Endpoints endpoints = Endpoints.on(routing);
        if (access != null) {
            access.install(routing, endpoints, protectedReads);
        }
        endpoints.register(new Observe(checks, meterPrefixes));
        services.forEach(endpoints::register);
        endpoints.finish();
        String hint = notFoundHint;
        routing.any((req, res) -> {
            throw new NotFoundException("no endpoint " + req.prologue().method().text() + " "
                    + JsonErrors.clip(req.path().path()) + hint);
        });
        WebServerConfig.Builder b = WebServer.builder();
        tuning.accept(b);
        b.config(config)
                .featuresDiscoverServices(false)
                .contentEncoding(Compression.create())
                .directHandlers(directHandlers)
                .requestedUriDiscoveryContext(sameHostProxies())
                .routing(routing);
        if (port != null) {
            b.port(port);
        }
        return b.build().start();
    }

    /** {@code Forwarded} and {@code X-Forwarded-*} are believed from a proxy on this host only. */
    static RequestedUriDiscoveryContext sameHostProxies() {
        return RequestedUriDiscoveryContext.builder()
                .enabled(true)
                .types(List.of(RequestedUriDiscoveryType.FORWARDED, RequestedUriDiscoveryType.X_FORWARDED))
                .trustedProxies(AllowList.builder()
                        .addAllowedPrefix("127.")
                        .addAllowed("0:0:0:0:0:0:0:1")
                        .addAllowed("::1")
                        .build())
                .build();
    }

    @Override
    public String toString() {
        return "ServiceServer[" + name + "]";
    }
}
