package io.wattstream.notifier;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HttpException;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.wattstream.kit.Closer;
import io.wattstream.kit.JsonErrors;
import io.wattstream.kit.ServiceApp;
import io.wattstream.model.AlertAck;
import io.wattstream.model.Device;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier: follows the device registry, the channel topic and the acknowledgements, consumes
 * {@code shelly.alerts} and serves {@code /deliveries}, health and metrics. Usable in-process by
 * tests and the local stack.
 */
public final class NotifierApp implements ServiceApp {

    private static final Logger LOG = LoggerFactory.getLogger(NotifierApp.class);

    private final Closer opened = new Closer();
    private AlertConsumer consumer;
    private ChannelRegistry registry;
    private WebServer server;

    private NotifierApp() {
    }

    /** Starts from the notifier's own config node (children {@code server} and {@code app}). */
    public static NotifierApp start(Config notifierConfig) {
        NotifierSettings settings = NotifierSettings.from(notifierConfig);
        NotifierApp app = new NotifierApp();
        try {
            app.startParts(settings, notifierConfig.get("server"));
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.close();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    private void startParts(NotifierSettings s, Config serverConfig) throws InterruptedException {
        long t0 = System.nanoTime();
        TopicSetup.ensure(s.bootstrap(), s.partitions());
        TopicFollower<Device> devices = opened.add(new TopicFollower<>(s.bootstrap(), Topics.DEVICES, s.consumerOverrides()));
        TopicFollower<NotifyEntry> channels = opened.add(new TopicFollower<>(s.bootstrap(), Topics.NOTIFY_CHANNELS, s.consumerOverrides()));
        // Optional: written by the acknowledgement API; followed once it exists.
        TopicFollower<AlertAck> acks = opened.add(new TopicFollower<>(s.bootstrap(), Topics.ALERT_ACKS, s.consumerOverrides()));
        if (!devices.awaitCaughtUp(s.startTimeout()) || !channels.awaitCaughtUp(s.startTimeout())) {
            throw new IllegalStateException("could not read " + Topics.DEVICES.name() + " and " + Topics.NOTIFY_CHANNELS.name()
                    + " within " + s.startTimeout());
        }
        RecentDeliveries recent = new RecentDeliveries(s.recentSize());
        Clock clock = Clock.systemUTC();
        Journal journal = opened.add(new Journal(s.bootstrap(), s.producerOverrides(), recent, clock));
        NotifierMetrics metrics = new NotifierMetrics(Services.get(MeterRegistry.class));
        registry = new ChannelRegistry(channels);
        ChannelLane.Context lanes = new ChannelLane.Context(registry, new HttpSender(s.sendTimeout()),
                new MailSender(s.sendTimeout()), s.retry(), journal, metrics, clock, new SecureRandom());
        // Closed before the journal it writes through: lanes stop, the final commit is made.
        consumer = opened.add(new AlertConsumer(s, registry, devices, acks, journal, lanes));
        server = WebServer.builder()
                .config(serverConfig)
                .port(s.port())
                .directHandlers(JsonErrors.directHandlers())
                .addFeature(ObserveFeature.just(
                        HealthObserver.builder().details(true).addCheck(this::health).build(),
                        MetricsObserver.create()))
                .routing(r -> r.error(HttpException.class, JsonErrors::helidon)
                        .error(RuntimeException.class, JsonErrors.unexpected(LOG, "internal error"))
                        .register("/deliveries", new DeliveriesService(recent, consumer::lanes)))
                .build()
                .start();
        opened.add(server::stop);
        if (!consumer.awaitAssigned(s.startTimeout())) {
            throw new IllegalStateException("no partitions of " + s.alertsTopic() + " assigned within " + s.startTimeout());
        }
        LOG.info("notifier ready in {} ms: consuming {} as group {}, /deliveries on port {}",
                Duration.ofNanos(System.nanoTime() - t0).toMillis(), s.alertsTopic(), s.groupId(), server.port());
    }

    private HealthCheckResponse health() {
        return HealthCheckResponse.builder().status(consumer != null && consumer.healthy()).build();
    }

    /** The channels and routes as the notifier sees them now (tests wait on it after a change). */
    ChannelRegistry registry() {
        return registry;
    }

    /** The reminders of unacknowledged alerts (tests wait on their checks). */
    Reminders reminders() {
        return consumer.reminders();
    }

    @Override
    public int port() {
        return server.port();
    }

    /** Stops the server, stops consuming (the lanes stop, what is finished is committed), closes every client. */
    @Override
    public void close() {
        opened.close();
    }
}
