package io.wattstream.query;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.query.api.AggregatesApi;
import io.wattstream.query.api.AlertsApi;
import io.wattstream.query.api.ApiException;
import io.wattstream.query.api.DevicesApi;
import io.wattstream.query.api.ErrorMapping;
import io.wattstream.query.api.InfoApi;
import io.wattstream.query.api.MeasurementsApi;
import io.wattstream.query.api.StaticContent;
import io.wattstream.query.api.StreamApi;
import io.wattstream.query.db.AggregateRepository;
import io.wattstream.query.db.AlertRepository;
import io.wattstream.query.db.CountCache;
import io.wattstream.query.db.Database;
import io.wattstream.query.db.DeviceRepository;
import io.wattstream.query.db.MeasurementRepository;
import io.wattstream.query.live.DeviceRegistry;
import io.wattstream.query.live.EventHub;
import io.wattstream.query.live.LiveFeed;
import io.wattstream.query.live.StateClient;
import io.wattstream.query.live.StreamMetrics;

/**
 * The running query API: web server, connection pool, device registry and live feed. Started
 * in-process with its own config node (children {@code server} and {@code app}); never touches
 * the global config, so several services can share one JVM.
 */
public final class QueryApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    private final Database db;
    private final DeviceRegistry registry;
    private final EventHub hub;
    private final LiveFeed feed;
    private final StreamMetrics metrics;
    private final WebServer server;

    private QueryApi(Config moduleConfig) {
        QueryConfig cfg = QueryConfig.from(moduleConfig.get("app"));
        db = new Database(cfg);
        registry = new DeviceRegistry(cfg.kafkaBootstrap());
        hub = new EventHub(cfg.clientQueue(), cfg.replayBuffer());
        metrics = new StreamMetrics(Services.get(MeterRegistry.class), hub);
        hub.listener(metrics);
        feed = new LiveFeed(cfg.kafkaBootstrap(), hub);
        StateClient state = new StateClient(cfg.stateUrl(), cfg.stateTimeout());
        HttpRouting.Builder routing = HttpRouting.builder();
        routing(routing, cfg, state);
        server = WebServer.builder()
                .config(moduleConfig.get("server"))
                .featuresDiscoverServices(false)
                .directHandlers(ErrorMapping.directHandlers())
                .addFeature(ObserveFeature.just(
                        HealthObserver.builder()
                                .details(true)
                                .addCheck(() -> HealthCheckResponse.builder().status(db.reachable())
                                        .detail("database", "postgresql").build(), HealthCheckType.READINESS, "database")
                                .build(),
                        MetricsObserver.create()))
                .routing(routing)
                .build()
                .start();
        LOG.info("Query API listening on port {} (state at {})", server.port(), cfg.stateUrl());
    }

    /** Starts the query API from its config node ({@code server} and {@code app} children). */
    public static QueryApi start(Config moduleConfig) {
        return new QueryApi(moduleConfig);
    }

    private void routing(HttpRouting.Builder routing, QueryConfig cfg, StateClient state) {
        ErrorMapping.register(routing);
        routing.register(
                new MeasurementsApi(new MeasurementRepository(db), new CountCache(Clock.systemUTC())),
                new AggregatesApi(new AggregateRepository(db), state, Clock.systemUTC()),
                new AlertsApi(new AlertRepository(db)),
                new DevicesApi(new DeviceRepository(db), registry, state, cfg.alertThresholdW()),
                new StreamApi(hub, cfg.heartbeat()),
                new InfoApi(cfg));
        // Anything else under /api is a JSON 404, not the server's plain-text one.
        routing.any("/api", (req, res) -> { throw unknown(req); })
                .any("/api/*", (req, res) -> { throw unknown(req); });
        StaticContent.register(routing);
    }

    private static ApiException unknown(io.helidon.webserver.http.ServerRequest req) {
        return ApiException.notFound("no endpoint " + req.prologue().method().text() + " " + req.path().path()
                + "; see /openapi");
    }

    public WebServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** True once the live feed reads from the end of its topics (for tests and the local stack). */
    public boolean liveFeedReady() {
        return feed.ready();
    }

    @Override
    public void close() {
        feed.close(); // ends open SSE streams first so the server stops promptly
        server.stop();
        registry.close();
        db.close();
        metrics.close();
    }
}
