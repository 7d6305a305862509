package io.wattstream.gateway.ws;

import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import io.wattstream.gateway.DeviceTokens;
import io.wattstream.gateway.GatewayMetrics;
import io.wattstream.gateway.ReadingPublisher;
import io.wattstream.gateway.readings.WebhookParser;

/**
 * The outbound WebSocket endpoint {@value #PATH} that a Shelly's {@code Ws.SetConfig} server URL
 * points at: one {@link ShellyWsConnection} per device, sharing the webhook's parser, token rules
 * and {@code acks=all} publisher. Closing it tells every device to go away and come back, so a
 * restarted gateway gets each device's full status again.
 */
public final class ShellyWsEndpoint implements AutoCloseable {

    public static final String PATH = "/ws/shelly";

    private final ShellyWsSettings settings;
    private final DeviceTokens tokens;
    private final ReadingPublisher publisher;
    private final GatewayMetrics metrics;
    private final Supplier<Instant> clock;
    private final WebhookParser parser = new WebhookParser();
    private final Set<ShellyWsConnection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public ShellyWsEndpoint(ShellyWsSettings settings, DeviceTokens tokens, ReadingPublisher publisher,
                            GatewayMetrics metrics, Supplier<Instant> clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The route for the server: a fresh listener, with its own state, per connection. */
    public WsRouting.Builder routing() {
        return WsRouting.builder().endpoint(PATH, () -> new ShellyWsConnection(this));
    }

    /** The server's WebSocket protocol settings: a single frame over the bound is refused by the server itself. */
    public WsConfig protocol() {
        return WsConfig.builder().name("websocket").maxFrameLength(settings.maxFrameBytes()).build();
    }

    public int openConnections() {
        return open.size();
    }

    boolean register(ShellyWsConnection connection) {
        if (stopping) {
            return false;
        }
        if (open.add(connection)) {
            metrics.wsOpened();
        }
        return true;
    }

    void unregister(ShellyWsConnection connection) {
        if (open.remove(connection)) {
            metrics.wsClosed();
        }
    }

    /** Asks every device to go away (status 1001) before the server stops; new connections are turned away. */
    @Override
    public void close() {
        stopping = true;
        for (ShellyWsConnection c : List.copyOf(open)) {
            c.closeWith(WsReason.Close.GOING_AWAY, "the gateway is stopping; reconnect in a moment");
        }
    }

    ShellyWsSettings settings() {
        return settings;
    }

    DeviceTokens tokens() {
        return tokens;
    }

    ReadingPublisher publisher() {
        return publisher;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    Supplier<Instant> clock() {
        return clock;
    }

    WebhookParser parser() {
        return parser;
    }
}
