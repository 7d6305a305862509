package io.wattstream.gateway;

import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.wattstream.kit.Closer;
import io.wattstream.kit.ServiceApp;
import io.wattstream.kit.http.OpenApiDocument;
import io.wattstream.kit.http.ServiceServer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.gateway.ws.ShellyWsEndpoint;
import io.wattstream.gateway.ws.ShellyWsSettings;

/**
 * The running gateway: its web server (the webhook and the devices' outbound WebSocket on one port),
 * Kafka producer and health check, closed together.
 */
public final class GatewayApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
    private static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(20);

    private final WebServer server;
    private final Closer opened;

    private GatewayApp(WebServer server, Closer opened) {
        this.server = server;
        this.opened = opened;
    }

    /** Starts the gateway from its own config node (children {@code server} and {@code app}). */
    public static GatewayApp start(Config gatewayConfig) {
        GatewaySettings settings = GatewaySettings.from(gatewayConfig);
        Closer opened = new Closer();
        try {
            GatewayMetrics metrics = new GatewayMetrics(Services.get(MeterRegistry.class));
            ReadingPublisher publisher = opened.add(new ReadingPublisher(settings));
            KafkaHealthCheck kafkaHealth = opened.add(new KafkaHealthCheck(settings.bootstrap(), publisher.topicName()));
            ErrorMapping errors = new ErrorMapping(metrics, settings);
            WebhookService webhook = new WebhookService(settings, publisher, metrics, MonotonicClock.SYSTEM);
            ShellyWsEndpoint shellyWs = new ShellyWsEndpoint(settings.ws(), settings.tokens(), publisher, metrics,
                    MonotonicClock.SYSTEM);
            WebServer server = ServiceServer.builder("gateway")
                    .config(gatewayConfig.get("server"))
                    .port(settings.port())
                    .tuning(b -> {
                        b
                            // A connection without traffic (a client that connects and says nothing, or an idle
                            // keep-alive) is closed after 20 s rather than Helidon's 5 minutes, checked every 2 s;
                            // server.idle-connection-timeout / -period in the config override both.
                            .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                            .idleConnectionPeriod(Duration.ofSeconds(2))
                            .maxPayloadSize(settings.maxBodyBytes())
                            // A device's WebSocket is kept busy by the gateway's pings, and closed with a
                            // reason before the port's idle timeout.
                            .addProtocol(shellyWs.protocol())
                            .addRouting(shellyWs.routing());
                        // HTTPS when a keystore is configured (Shelly devices call https:// webhooks and wss://).
                        if (settings.tls() != null) {
                            b.tls(settings.tls());
                        }
                    })
                    .directHandlers(errors.directHandlers())
                    .errors(errors::register)
                    .check(kafkaHealth)
                    .metrics("gateway")
                    .routes(webhook, new OpenApiDocument(GatewayApp.class, "io/wattstream/gateway/openapi.yaml"))
                    .start();
            // The server stops first, so no request is left without its producer; before it, every device
            // is told to go away (1001), so it reconnects to the next gateway and sends its full status.
            opened.add(server::stop);
            opened.add(shellyWs);
            requireWsIdleBelowServerIdle(settings.ws(), server);
            LOG.info("gateway listening on port {} ({}), publishing to {} at {}{}", server.port(),
                    settings.tls() != null ? "HTTPS" : "HTTP", publisher.topicName(),
                    settings.bootstrap(), settings.tokens().enabled()
                            ? " (device tokens required for " + settings.tokens().size() + " device(s))" : "");
            return new GatewayApp(server, opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * The WebSocket's own idle close (with a reason the device sees) must come before the port's, which
     * drops a silent connection without a close frame.
     */
    private static void requireWsIdleBelowServerIdle(ShellyWsSettings ws, WebServer server) {
        Duration serverIdle = server.prototype().idleConnectionTimeout();
        if (ws.idleTimeout().compareTo(serverIdle) >= 0) {
            throw new IllegalArgumentException("app.ws.idle-timeout (GATEWAY_WS_IDLE_TIMEOUT) must be shorter than the "
                    + "port's idle connection timeout (server.idle-connection-timeout, " + serverIdle + "), got " + ws.idleTimeout());
        }
    }

    @Override
    public int port() {
        return server.port();
    }

    /** Stops the server, then closes the Kafka clients. */
    @Override
    public void close() {
        opened.close();
    }
}
