package io.wattstream.bench.gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.gateway.ws.ShellyWsEndpoint;
import io.wattstream.model.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbound WebSocket under many devices: opens {@code bench.ws.connections} device connections
 * (the JDK's WebSocket client, in this JVM) to a gateway with an embedded broker, each sending its
 * full status; holds them for {@code bench.ws.hold-seconds} with a partial per device every 5 s and
 * the gateway's pings (connections held = still open at the end, every frame stored); then every
 * device sends {@code bench.ws.frames} partials as fast as its connection takes them, in
 * {@code bench.ws.rounds} rounds (frames/s = frames stored / time until the last is stored). Prints
 * one line per figure; fails when a frame the gateway took is not on the topic. 127.0.0.1 only.
 *
 * <p>The gateway runs with its default bounds except the frame rate per connection, raised to
 * {@code bench.ws.max-frames-per-second} (1000) so the throughput rounds measure the gateway, not
 * the limit a single device is held to (20/s by default).
 */
public final class ShellyWsBench {

    private static final String FULL = "{\"src\":\"%s\",\"dst\":\"wattstream\",\"method\":\"NotifyFullStatus\",\"params\":"
            + "{\"ts\":%d.02,\"switch:0\":{\"id\":0,\"output\":true,\"apower\":3590.0,\"voltage\":230.2,\"current\":15.61,"
            + "\"freq\":50.0,\"pf\":0.99,\"aenergy\":{\"total\":152341.0},\"temperature\":{\"tC\":47.5}}}}";
    private static final String PARTIAL = "{\"src\":\"%s\",\"dst\":\"wattstream\",\"method\":\"NotifyStatus\",\"params\":"
            + "{\"ts\":%d.%03d,\"switch:0\":{\"id\":0,\"apower\":%d.5,\"current\":15.7}}}";

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.ws.connections", 2000);
        int holdSeconds = Integer.getInteger("bench.ws.hold-seconds", 20);
        int frames = Integer.getInteger("bench.ws.frames", 20);
        int rounds = Integer.getInteger("bench.ws.rounds", 3);
        String rate = System.getProperty("bench.ws.max-frames-per-second", "1000");

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().build().start()) {
            kafka.createTopics(EmbeddedKafka.pipelineTopics(Topics.RAW.name(), 3));
            Map<String, String> config = new HashMap<>(Map.of("server.port", "0", "server.host", "127.0.0.1",
                    "app.kafka.bootstrap", kafka.bootstrapServers(), "app.ws.max-frames-per-second", rate));
            GatewayApp gateway = GatewayApp.start(Config.just(ConfigSources.create(config)));
            URI uri = URI.create("ws://127.0.0.1:" + gateway.port() + ShellyWsEndpoint.PATH);
            HttpClient http = HttpClient.newHttpClient();
            List<Device> devices = new ArrayList<>();
            try {
                System.out.printf(Locale.ROOT, "%d device connections, hold %d s, %d rounds of %d partials per device, %d cores%n",
                        connections, holdSeconds, rounds, frames, Runtime.getRuntime().availableProcessors());
                long base = GatewayBench.recordsInTopic(kafka);
                long t0 = System.nanoTime();
                long unix = System.currentTimeMillis() / 1000;
                // Connected as devices come online after a power cut: all at once.
                List<CompletableFuture<Device>> connecting = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    connecting.add(Device.connect(String.format(Locale.ROOT, "shellypro1pm-bench%05d", i), http, uri));
                }
                connecting.forEach(c -> devices.add(c.join()));
                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (Device d : devices) {
                    sent.add(d.send(FULL.formatted(d.id, unix)));
                }
                sent.forEach(CompletableFuture::join);
                long expected = connections;
                awaitStored(kafka, base, expected, Duration.ofMinutes(2));
                double openSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "ws open: %d connections open and their full status stored in %.1f s%n",
                        connections, openSeconds);

                // Hold: a partial per device every 5 s, the gateway pinging every 5 s.
                long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(holdSeconds);
                int seq = 0;
                while (System.nanoTime() < holdEnd) {
                    seq++;
                    sent.clear();
                    for (Device d : devices) {
                        sent.add(d.send(PARTIAL.formatted(d.id, unix + seq, 0, 3000 + seq)));
                    }
                    sent.forEach(CompletableFuture::join);
                    expected += connections;
                    TimeUnit.NANOSECONDS.sleep(Math.min(TimeUnit.SECONDS.toNanos(5), Math.max(0, holdEnd - System.nanoTime())));
                }
                awaitStored(kafka, base, expected, Duration.ofMinutes(2));
                long open = devices.stream().filter(d -> !d.closed.isDone()).count();
                long pinged = devices.stream().filter(d -> d.pings.get() > 0).count();
                System.out.printf(Locale.ROOT, "ws hold: %d connections held for %d s, %d of them still open, %d pinged; "
                        + "%d frames stored of %d sent%n", connections, holdSeconds, open, pinged,
                        GatewayBench.recordsInTopic(kafka) - base, expected);

                // Throughput: every device sends its partials back to back.
                List<Double> rates = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    long before = GatewayBench.recordsInTopic(kafka);
                    long r0 = System.nanoTime();
                    final int s0 = seq + 1;
                    List<CompletableFuture<?>> streams = new ArrayList<>();
                    for (Device d : devices) {
                        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
                        for (int f = 0; f < frames; f++) {
                            String frame = PARTIAL.formatted(d.id, unix + s0 + f / 1000, f % 1000, 3000 + f);
                            chain = chain.thenCompose(x -> d.send(frame));
                        }
                        streams.add(chain);
                    }
                    streams.forEach(CompletableFuture::join);
                    seq += frames / 1000 + 1;
                    long total = (long) frames * connections;
                    long stored = awaitStored(kafka, before, total, Duration.ofMinutes(3));
                    double seconds = (System.nanoTime() - r0) / 1e9;
                    double fps = stored / seconds;
                    rates.add(fps);
                    System.out.printf(Locale.ROOT, "round %d ws: %d frames from %d devices stored in %.2f s: %.0f frames/s%n",
                            round, stored, connections, seconds, fps);
                    if (stored < total) {
                        throw new IllegalStateException("round " + round + ": " + total + " frames sent on open connections"
                                + " but only " + stored + " stored");
                    }
                }
                long stillOpen = devices.stream().filter(d -> !d.closed.isDone()).count();
                rates.sort(Double::compare);
                System.out.printf(Locale.ROOT, "ws: %d connections held, median %.0f frames/s (rounds %.0f - %.0f), "
                        + "%d connections open at the end%n", open, rates.get(rates.size() / 2), rates.get(0),
                        rates.get(rates.size() - 1), stillOpen);
            } finally {
                devices.forEach(Device::close);
                gateway.close();
            }
        }
    }

    /** Records added since {@code before}, waiting until {@code expected} or the deadline. */
    private static long awaitStored(EmbeddedKafka kafka, long before, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long added;
        while ((added = GatewayBench.recordsInTopic(kafka) - before) < expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return added;
    }

    /** One device's connection: one send at a time, as the JDK client requires. */
    private static final class Device implements WebSocket.Listener {
        final String id;
        final AtomicInteger pings = new AtomicInteger();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private WebSocket socket;
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        private Device(String id) {
            this.id = id;
        }

        static CompletableFuture<Device> connect(String id, HttpClient http, URI uri) {
            Device d = new Device(id);
            return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60)).buildAsync(uri, d)
                    .thenApply(ws -> {
                        synchronized (d) {
                            d.socket = ws;
                        }
                        return d;
                    });
        }

        synchronized CompletableFuture<?> send(String frame) {
            last = last.thenCompose(x -> socket.sendText(frame, true));
            return last;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
            pings.incrementAndGet();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            System.out.println("  device " + id + " closed by the gateway: " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        synchronized void close() {
            socket.abort();
        }
    }

    private ShellyWsBench() {
    }
}
