package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wattstream.embedded.harness.Poll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With GATEWAY_TOKENS set in the local stack, a simulated device sends its token as a real one does. */
class SimulatorTokensTest {

    /** What a webhook request said: the request line and body, and its Authorization header. */
    private record Seen(String request, String authorization) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private HttpServer gateway;

    @BeforeEach
    void start() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            seen.add(new Seen(exchange.getRequestURI().getPath() + "?" + (query == null ? "" : URLDecoder.decode(query,
                    StandardCharsets.UTF_8)) + " " + body, exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    @Test
    void aSimulatedDeviceWithATokenSendsItAndOneWithoutSendsNone() {
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort();
        // Devices 1 and 3 post over HTTP (device 2 keeps a WebSocket); only device 1 has a token.
        try (Simulator simulator = new Simulator(3, url, url, "admin-token", "shellypro1pm-sim0001:tok-1")) {
            simulator.start();
            Poll.until("webhook requests of both HTTP devices", Duration.ofSeconds(20), () ->
                    webhooks("shellypro1pm-sim0001").size() >= 2 && !webhooks("shellypro1pm-sim0003").isEmpty());
        }
        assertThat(webhooks("shellypro1pm-sim0001")).extracting(Seen::authorization).containsOnly("Bearer tok-1");
        assertThat(webhooks("shellypro1pm-sim0003")).extracting(Seen::authorization).containsOnlyNulls();
    }

    private List<Seen> webhooks(String device) {
        return seen.stream().filter(s -> s.request().startsWith("/webhook/") && s.request().contains(device)).toList();
    }
}
