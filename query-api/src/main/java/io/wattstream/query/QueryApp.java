package io.wattstream.query;

import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import io.wattstream.kit.Closer;
import io.wattstream.kit.ServiceApp;
import io.wattstream.kit.http.OpenApiDocument;
import io.wattstream.kit.http.ServiceServer;
import io.wattstream.query.api.AggregatesApi;
import io.wattstream.query.api.AlertsApi;
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
import io.wattstream.query.db.DatabaseHealthCheck;
import io.wattstream.query.db.DeviceRepository;
import io.wattstream.query.db.MeasurementRepository;
import io.wattstream.query.live.DeviceRegistry;
import io.wattstream.query.live.EventHub;
import io.wattstream.query.live.LiveFeed;
import io.wattstream.query.live.StateClient;
import io.wattstream.query.live.StreamMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running query API: web server, connection pool, device registry and live feed, closed together.
 * Started in-process with its own config node (children {@code server} and {@code app}); never touches
 * the global config, so several services can share one JVM.
 */
public final class QueryApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApp.class);

    private final WebServer server;
    private final LiveFeed feed;
    private final Closer opened;

    private QueryApp(WebServer server, LiveFeed feed, Closer opened) {
        this.server = server;
        this.feed = feed;
        this.opened = opened;
    }

    /** Starts the query API from its config node ({@code server} and {@code app} children). */
    public static QueryApp start(Config queryConfig) {
        QuerySettings cfg = QuerySettings.from(queryConfig);
        Closer opened = new Closer();
        try {
            Database db = opened.add(new Database(cfg));
            DeviceRegistry registry = opened.add(new DeviceRegistry(cfg.kafkaBootstrap()));
            EventHub hub = new EventHub(cfg.clientQueue(), cfg.replayBuffer());
            StreamMetrics metrics = opened.add(new StreamMetrics(Services.get(MeterRegistry.class), hub));
            hub.listener(metrics);
            StateClient state = new StateClient(cfg.stateUrls(), cfg.stateTimeout());
            List<HttpService> routes = new ArrayList<>(List.of(
                    new MeasurementsApi(new MeasurementRepository(db), new CountCache(Clock.systemUTC())),
                    new AggregatesApi(new AggregateRepository(db), state, Clock.systemUTC()),
                    new AlertsApi(new AlertRepository(db)),
                    new DevicesApi(new DeviceRepository(db), registry, state),
                    new StreamApi(hub, cfg.heartbeat()),
                    new InfoApi(state, cfg.heartbeat()),
                    new OpenApiDocument(QueryApp.class, InfoApi.OPENAPI_RESOURCE)));
            routes.addAll(StaticContent.services());
            WebServer server = ServiceServer.builder("query API")
                    .config(queryConfig.get("server"))
                    .port(cfg.port())
                    .errors(ErrorMapping::register)
                    .check(new DatabaseHealthCheck(db))
                    .metrics("query")
                    .routes(routes.toArray(HttpService[]::new))
                    .notFoundHint("; see /openapi")
                    .start();
            opened.add(server::stop);
            // Closed before the server: closing it ends open SSE streams, so the server stops promptly.
            LiveFeed feed = opened.add(new LiveFeed(cfg.kafkaBootstrap(), hub));
            LOG.info("Query API listening on port {} (state at {})", server.port(), cfg.stateUrls());
            return new QueryApp(server, feed, opened);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return server.port();
    }

    /** True once the live feed reads from the end of its topics (for tests and the local stack). */
    public boolean liveFeedReady() {
        return feed.ready();
    }

    @Override
    public void close() {
        opened.close();
    }
}
