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
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.Topics;
import io.wattstream.query.api.AggregatesApi;
import io.wattstream.query.api.AlertsApi;
import io.wattstream.query.api.DevicesApi;
import io.wattstream.query.api.EnergyApi;
import io.wattstream.query.api.ErrorMapping;
import io.wattstream.query.api.InfoApi;
import io.wattstream.query.api.MeasurementsApi;
import io.wattstream.query.api.NotificationsApi;
import io.wattstream.query.api.SessionsApi;
import io.wattstream.query.api.StaticContent;
import io.wattstream.query.api.StreamApi;
import io.wattstream.query.api.TariffsApi;
import io.wattstream.query.db.AggregateRepository;
import io.wattstream.query.db.AlertRepository;
import io.wattstream.query.db.CountCache;
import io.wattstream.query.db.Database;
import io.wattstream.query.db.DatabaseHealthCheck;
import io.wattstream.query.db.DailyRepository;
import io.wattstream.query.db.DeviceRepository;
import io.wattstream.query.db.MeasurementRepository;
import io.wattstream.query.db.RetentionRepository;
import io.wattstream.query.db.SessionRepository;
import io.wattstream.query.live.DeviceRegistry;
import io.wattstream.query.live.EventHub;
import io.wattstream.query.live.LiveFeed;
import io.wattstream.query.live.NotifierClient;
import io.wattstream.query.live.StateClient;
import io.wattstream.query.live.StreamMetrics;
import io.wattstream.query.live.TariffRegistry;
import io.wattstream.query.live.TopicTable;
import io.wattstream.query.live.TopicWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running query API: web server, connection pool, device and tariff registries and live feed, closed together.
 * Started in-process with its own config node (children {@code server} and {@code app}); never touches
 * the global config, so several services can share one JVM.
 */
public final class QueryApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApp.class);
    /** What a viewer may read: the API and the metrics. The dashboard's files, /openapi and health are open. */
    static final List<String> PROTECTED_READS = List.of("/api/*", "/observe/metrics/*");

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
            TopicWriter writer = opened.add(new TopicWriter(cfg.kafkaBootstrap()));
            DeviceRegistry registry = opened.add(new DeviceRegistry(cfg.kafkaBootstrap(), writer));
            TariffRegistry tariffs = opened.add(new TariffRegistry(cfg.kafkaBootstrap(), writer));
            TopicTable<NotifyEntry> notify = opened.add(new TopicTable<>(cfg.kafkaBootstrap(), Topics.NOTIFY_CHANNELS, writer,
                    "notification channels", (key, entry) -> entry));
            EventHub hub = new EventHub(cfg.clientQueue(), cfg.replayBuffer());
            StreamMetrics metrics = opened.add(new StreamMetrics(Services.get(MeterRegistry.class), hub));
            hub.listener(metrics);
            StateClient state = new StateClient(cfg.stateUrls(), cfg.stateTimeout());
            RetentionRepository retention = new RetentionRepository(db, Clock.systemUTC());
            List<HttpService> routes = new ArrayList<>(List.of(
                    new MeasurementsApi(new MeasurementRepository(db), new CountCache(Clock.systemUTC()), retention,
                            Clock.systemUTC()),
                    new AggregatesApi(new AggregateRepository(db), retention, state, Clock.systemUTC()),
                    new AlertsApi(new AlertRepository(db), writer, Clock.systemUTC()),
                    new DevicesApi(new DeviceRepository(db), registry, state),
                    new TariffsApi(tariffs),
                    new SessionsApi(new SessionRepository(db), state),
                    new EnergyApi(new DailyRepository(db), state, Clock.systemUTC()),
                    new NotificationsApi(notify, new NotifierClient(cfg.notifierUrl())),
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
                    .access(cfg.access(), PROTECTED_READS)
                    .start();
            opened.add(server::stop);
            // Closed before the server: closing it ends open SSE streams, so the server stops promptly.
            LiveFeed feed = opened.add(new LiveFeed(cfg.kafkaBootstrap(), hub, cfg.uncommittedReadings()));
            LOG.info("Query API listening on port {} (state at {}, notifier at {}, {} API token(s), reads {})", server.port(),
                    cfg.stateUrls(), cfg.notifierUrl(), cfg.access().tokens().size(),
                    cfg.access().openReads() ? "open" : "need a viewer token");
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
