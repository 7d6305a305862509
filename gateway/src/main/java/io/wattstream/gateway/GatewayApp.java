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

/** The running gateway: its web server, Kafka producer and health check, closed together. */
public final class GatewayApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);

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
            WebServer server = ServiceServer.builder("gateway")
                    .config(gatewayConfig.get("server"))
                    .port(settings.port())
                    .tuning(b -> b
                            // A connection without traffic (a client that connects and says nothing, or an idle
                            // keep-alive) is closed after 20 s rather than Helidon's 5 minutes, checked every 2 s;
                            // server.idle-connection-timeout / -period in the config override both.
                            .idleConnectionTimeout(Duration.ofSeconds(20))
                            .idleConnectionPeriod(Duration.ofSeconds(2))
                            .maxPayloadSize(settings.maxBodyBytes()))
                    .directHandlers(errors.directHandlers())
                    .errors(errors::register)
                    .check(kafkaHealth)
                    .metrics("gateway")
                    .routes(webhook, new OpenApiDocument(GatewayApp.class, "io/wattstream/gateway/openapi.yaml"))
                    .start();
            // The server stops first, so no request is left without its producer.
            opened.add(server::stop);
            LOG.info("gateway listening on port {}, publishing to {} at {}{}", server.port(), publisher.topicName(),
                    settings.bootstrap(), settings.tokens().enabled()
                            ? " (device tokens required for " + settings.tokens().size() + " device(s))" : "");
            return new GatewayApp(server, opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
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
