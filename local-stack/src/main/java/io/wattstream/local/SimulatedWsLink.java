package io.wattstream.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.model.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device's outbound WebSocket, kept as the Shelly firmware keeps it: it connects to the
 * gateway's {@code /ws/shelly}, sends {@code NotifyFullStatus} as soon as it is connected, then a
 * {@code NotifyStatus} with what changed at each reading, answers the gateway's
 * {@code Switch.GetStatus}, and after any close reconnects with a back-off that doubles from 1 s
 * to 30 s. While disconnected it sends nothing: the firmware keeps no backlog.
 */
final class SimulatedWsLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedWsLink.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String id;
    private final URI uri;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicInteger connects = new AtomicInteger();
    private volatile WebSocket socket;
    private volatile boolean fullStatusSent;
    private volatile SimulatedDevice.Sample latest;
    private volatile boolean closed;
    private Duration backoff = FIRST_BACKOFF;

    SimulatedWsLink(String id, URI uri, HttpClient http, ScheduledExecutorService scheduler) {
        this.id = id;
        this.uri = uri;
        this.http = http;
        this.scheduler = scheduler;
    }

    /**
     * {@code http://host:port} of the gateway as the device's server URL {@code ws://host:port/ws/shelly},
     * with {@code ?token=} when the device has one (null: none).
     */
    static URI serverUrl(String gatewayUrl, String token) {
        return URI.create(gatewayUrl.replaceFirst("^http", "ws") + "/ws/shelly"
                + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
    }

    void start() {
        connect();
    }

    /** The device's reading of this tick: the full status on a fresh connection, a partial after. */
    void report(SimulatedDevice.Sample sample) {
        latest = sample;
        WebSocket ws = socket;
        if (ws != null) {
            send(ws, fullStatusSent ? partial(sample) : full(sample));
            fullStatusSent = true;
        }
    }

    /** How many times the link got connected. */
    int connects() {
        return connects.get();
    }

    boolean connected() {
        return socket != null;
    }

    private void connect() {
        if (closed) {
            return;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        LOG.debug("simulated device {} could not connect: {}", id, error.toString());
                        reconnectLater();
                        return;
                    }
                    synchronized (this) {
                        backoff = FIRST_BACKOFF;
                    }
                    // On the ticking thread, so a reading and the full status never race: on connect, as the
                    // firmware does, the full status goes out right away.
                    scheduler.execute(() -> {
                        connects.incrementAndGet();
                        fullStatusSent = false;
                        socket = ws;
                        SimulatedDevice.Sample s = latest;
                        if (s != null) {
                            report(s);
                        }
                    });
                });
    }

    private void disconnected(String why) {
        socket = null;
        fullStatusSent = false;
        LOG.debug("simulated device {} disconnected ({}); reconnecting", id, why);
        reconnectLater();
    }

    private synchronized void reconnectLater() {
        if (closed) {
            return;
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        scheduler.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One send at a time, as the JDK client requires; a failed send is a lost connection. */
    private void send(WebSocket ws, String frame) {
        sending.lock();
        try {
            ws.sendText(frame, true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            ws.abort();
            if (socket == ws) {
                disconnected("send failed: " + e);
            }
        } finally {
            sending.unlock();
        }
    }

    private String full(SimulatedDevice.Sample s) {
        ObjectNode frame = notification("NotifyFullStatus");
        ObjectNode params = (ObjectNode) frame.get("params");
        params.putObject("sys").put("unixtime", Instant.now().getEpochSecond());
        ObjectNode sw = switchStatus(params, s);
        sw.put("source", "init").put("output", s.output()).put("voltage", s.voltage()).put("freq", s.freq()).put("pf", s.pf());
        sw.putObject("temperature").put("tC", s.temperatureC());
        return write(frame);
    }

    private String partial(SimulatedDevice.Sample s) {
        ObjectNode frame = notification("NotifyStatus");
        switchStatus((ObjectNode) frame.get("params"), s);
        return write(frame);
    }

    private ObjectNode notification(String method) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("src", id).put("dst", "wattstream").put("method", method);
        frame.putObject("params").put("ts", BigDecimal.valueOf(Instant.now().toEpochMilli(), 3));
        return frame;
    }

    /** switch:0 with what changes every reading: power, current, the energy counter. */
    private static ObjectNode switchStatus(ObjectNode parent, SimulatedDevice.Sample s) {
        ObjectNode sw = parent.putObject("switch:0");
        sw.put("id", 0).put("apower", s.power()).put("current", s.current());
        sw.putObject("aenergy").put("total", s.energyWh());
        return sw;
    }

    private String answer(JsonNode request) {
        SimulatedDevice.Sample s = latest;
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.set("id", request.get("id"));
        frame.put("src", id).put("dst", request.path("src").asText("wattstream"));
        if (s == null) {
            frame.putObject("error").put("code", -114).put("message", "no reading yet");
            return write(frame);
        }
        ObjectNode result = frame.putObject("result");
        result.put("id", 0).put("source", "init").put("output", s.output()).put("apower", s.power())
                .put("voltage", s.voltage()).put("freq", s.freq()).put("current", s.current()).put("pf", s.pf());
        result.putObject("aenergy").put("total", s.energyWh());
        result.putObject("temperature").put("tC", s.temperatureC());
        return write(frame);
    }

    private static String write(ObjectNode frame) {
        try {
            return Json.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers and strings always serializes", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        socket = null;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "simulator stopping").orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((w, e) -> ws.abort());
        }
    }

    /** Answers the gateway's requests; a close or an error starts the reconnect. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                try {
                    JsonNode request = Json.MAPPER.readTree(frame);
                    if ("Switch.GetStatus".equals(request.path("method").asText())) {
                        // Not on the client's own thread: a send waits, and this thread delivers its completion.
                        scheduler.execute(() -> send(ws, answer(request)));
                    } else if (request.has("error")) {
                        LOG.warn("the gateway refused a frame of simulated device {}: {}", id, request.get("error"));
                    }
                } catch (JsonProcessingException e) {
                    LOG.warn("simulated device {} got a frame it cannot read: {}", id, e.getOriginalMessage());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            if (socket == ws) {
                disconnected(status + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (socket == ws) {
                disconnected(error.toString());
            }
        }
    }
}
