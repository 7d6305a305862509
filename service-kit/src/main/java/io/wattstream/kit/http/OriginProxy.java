package io.wattstream.kit.http;

import io.helidon.config.Config;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One origin for several services, as the prototype served its webhook, API and dashboard on one
 * port: each request goes, by the first path prefix it matches, to one service and its answer comes
 * back as that service gave it (status, headers, body), streamed as it arrives, so a live feed keeps
 * flowing and a webhook's 200 is still the gateway's own, given only after Kafka's acknowledgement.
 * A service that cannot be reached is a 502; the request is never retried. The original host goes
 * along as {@code X-Forwarded-Host}, so links in answers point at this origin.
 */
public final class OriginProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OriginProxy.class);
    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the HTTP client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "content-length", "expect", "http2-settings", "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix");
    private static final HeaderName FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final HeaderName FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
    private static final HeaderName FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

    /** Requests whose path is {@code prefix} or starts with {@code prefix/} go to {@code target}. */
    public record Route(String prefix, URI target) {
        /** True when this route takes {@code path}. */
        public boolean matches(String path) {
            return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    private final WebServer server;
    private final HttpClient client;

    private OriginProxy(WebServer server, HttpClient client) {
        this.server = server;
        this.client = client;
    }

    /**
     * Starts the origin from its {@code server} config node on {@code port}; {@code routes} are tried
     * in order, so the last one is usually {@code "/"}.
     */
    public static OriginProxy start(Config serverConfig, int port, List<Route> routes) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRouting.Builder routing = HttpRouting.builder()
                .any((req, res) -> relay(client, routes, req, res));
        WebServer server = WebServer.builder()
                .config(serverConfig)
                .port(port)
                .featuresDiscoverServices(false)
                // answers pass through as the service encoded them
                .contentEncoding(c -> c.contentEncodingsDiscoverServices(false))
                .directHandlers(JsonErrors.directHandlers())
                .routing(routing)
                .build()
                .start();
        return new OriginProxy(server, client);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        client.close();
    }

    private static void relay(HttpClient client, List<Route> routes, ServerRequest req, ServerResponse res) {
        String path = req.path().rawPath();
        Route route = routes.stream().filter(r -> r.matches(req.path().path())).findFirst().orElse(null);
        if (route == null) {
            JsonErrors.send(req, res, Status.NOT_FOUND_404, "no service here for " + JsonErrors.clip(path));
            return;
        }
        String query = req.query().rawValue();
        URI target = URI.create(route.target().toString().replaceAll("/$", "") + path
                + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder up = HttpRequest.newBuilder(target).method(req.prologue().method().text(), body(req));
        req.headers().forEach(h -> {
            if (!NOT_FORWARDED.contains(h.name().toLowerCase(Locale.ROOT))) {
                for (String v : h.allValues()) {
                    up.header(h.name(), v);
                }
            }
        });
        String proto = req.isSecure() ? "https" : "http";
        String peer = req.remotePeer().host();
        up.header(FORWARDED_FOR.defaultCase(), peer);
        up.header(FORWARDED_PROTO.defaultCase(), proto);
        req.headers().first(HeaderNames.HOST).ifPresent(host -> {
            up.header(FORWARDED_HOST.defaultCase(), host);
            up.header(HeaderNames.FORWARDED.defaultCase(), "for=\"" + peer + "\";host=\"" + host + "\";proto=" + proto);
        });
        HttpResponse<InputStream> answer;
        try {
            answer = client.send(up.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warn("{} {} could not be relayed to {}: {}", req.prologue().method().text(), path, route.target(), e.toString());
            JsonErrors.send(req, res, Status.BAD_GATEWAY_502, "the service at " + route.target() + " cannot be reached");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            JsonErrors.send(req, res, Status.SERVICE_UNAVAILABLE_503, "shutting down");
            return;
        }
        copyBack(req, answer, res);
    }

    private static HttpRequest.BodyPublisher body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> req.content().inputStream());
        return req.headers().contentLength().isPresent()
                ? HttpRequest.BodyPublishers.fromPublisher(stream, req.headers().contentLength().getAsLong())
                : stream;
    }

    /** Status and headers as the service sent them, then the body chunk by chunk, each flushed at once. */
    private static void copyBack(ServerRequest req, HttpResponse<InputStream> answer, ServerResponse res) {
        res.status(Status.create(answer.statusCode()));
        answer.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(n) || n.equals("content-length")) {
                res.header(HeaderNames.create(name), values.toArray(String[]::new));
            }
        });
        try (InputStream in = answer.body()) {
            if (req.prologue().method() == Method.HEAD || answer.statusCode() == 204 || answer.statusCode() == 304) {
                res.send();
                return;
            }
            byte[] buffer = new byte[8192];
            try (OutputStream out = res.outputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    if (in.available() == 0) {
                        out.flush(); // an event of a live feed leaves as soon as it came
                    }
                }
            }
        } catch (IOException e) {
            // the service or the client went away mid-answer: the connection is cut, never a clean end
            throw new UncheckedIOException(e);
        }
    }
}
