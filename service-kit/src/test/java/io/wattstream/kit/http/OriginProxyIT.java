package io.wattstream.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.wattstream.kit.JsonErrors;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one origin in front of two services on free ports: each path reaches its service, the answer
 * comes back as the service gave it (status, headers, body, errors), a stream flows event by event,
 * links name the origin, and a service that is down is a 502, never a 2xx.
 */
class OriginProxyIT {

    private static WebServer hooks;
    private static WebServer api;
    private static OriginProxy origin;
    private static OriginProxy toNowhere;
    private static final CountDownLatch SECOND_EVENT = new CountDownLatch(1);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hooks = ServiceServer.builder("hooks").port(0).routes(rules -> rules
                .post("/webhook/", (req, res) -> res.send("stored " + req.content().as(String.class)))
                .get("/webhook/", (req, res) -> {
                    throw new IllegalStateException("broker down");
                }))
                .errors(r -> r.error(IllegalStateException.class,
                        (req, res, e) -> JsonErrors.send(req, res, Status.SERVICE_UNAVAILABLE_503, e.getMessage())))
                .start();
        api = ServiceServer.builder("api").port(0).routes(new Api()).start();
        origin = OriginProxy.start(Config.empty(), 0, List.of(
                new OriginProxy.Route("/webhook", URI.create("http://127.0.0.1:" + hooks.port())),
                new OriginProxy.Route("/", URI.create("http://127.0.0.1:" + api.port()))));
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        toNowhere = OriginProxy.start(Config.empty(), 0, List.of(new OriginProxy.Route("/", URI.create("http://127.0.0.1:" + closed))));
    }

    private static final class Api implements HttpService {
        @Override
        public void routing(HttpRules rules) {
            rules.get("/api/link", (req, res) -> res.send(req.requestedUri().authority()))
                    .get("/api/events", (req, res) -> {
                        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                        try (OutputStream out = res.outputStream()) {
                            out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            // the second event only once the client has read the first through the origin
                            SECOND_EVENT.await(10, TimeUnit.SECONDS);
                            out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
                        }
                    });
        }
    }

    @AfterAll
    static void stop() {
        origin.close();
        toNowhere.close();
        hooks.stop();
        api.stop();
    }

    @Test
    void eachPathReachesItsServiceAndTheAnswerComesBackAsGiven() throws Exception {
        HttpResponse<String> stored = send(HttpRequest.newBuilder(uri(origin, "/webhook/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"power\":1}")));
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo("stored {\"power\":1}");
        HttpResponse<String> down = send(HttpRequest.newBuilder(uri(origin, "/webhook/")));
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("broker down");
        HttpResponse<String> notAllowed = send(HttpRequest.newBuilder(uri(origin, "/webhook/")).DELETE());
        assertThat(notAllowed.statusCode()).isEqualTo(405);
        assertThat(notAllowed.headers().firstValue("allow")).hasValue("GET, HEAD, POST, OPTIONS");
        assertThat(send(HttpRequest.newBuilder(uri(origin, "/api/nothing"))).statusCode()).isEqualTo(404);
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri(origin, "/api/link"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).isPresent();
    }

    @Test
    void linksInAnswersNameTheOrigin() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri(origin, "/api/link"))).body()).isEqualTo("127.0.0.1:" + origin.port());
    }

    @Test
    void aStreamFlowsThroughEventByEvent() throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(uri(origin, "/api/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("data: one"); // before the service sent the second
            SECOND_EVENT.countDown();
            in.readLine();
            assertThat(in.readLine()).isEqualTo("data: two");
        }
    }

    @Test
    void aServiceThatCannotBeReachedIs502() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(toNowhere, "/webhook/"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("cannot be reached");
    }

    private static URI uri(OriginProxy p, String path) {
        return URI.create("http://127.0.0.1:" + p.port() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
