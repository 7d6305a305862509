package io.wattstream.gateway;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Readiness: the broker answers and the raw topic exists. The answer is cached briefly so that a
 * probe storm does not turn into an Admin request storm, and each probe waits at most ~1 s.
 */
final class KafkaHealthCheck implements HealthCheck, AutoCloseable {

    private static final Duration CACHE = Duration.ofSeconds(2);
    private static final long PROBE_TIMEOUT_MS = 1_000;

    private final Admin admin;
    private final String topic;
    private final String bootstrap;
    private long checkedAt = Long.MIN_VALUE;
    private HealthCheckResponse last;

    KafkaHealthCheck(String bootstrap, String topic) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "wattstream-gateway-health");
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT_MS);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT_MS);
        conf.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        this.admin = Admin.create(conf);
        this.topic = topic;
        this.bootstrap = bootstrap;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = System.nanoTime();
        if (last == null || now - checkedAt > CACHE.toNanos()) {
            last = probe();
            checkedAt = System.nanoTime();
        }
        return last;
    }

    private HealthCheckResponse probe() {
        HealthCheckResponse.Builder r = HealthCheckResponse.builder().detail("bootstrap", bootstrap).detail("topic", topic);
        try {
            int nodes = admin.describeCluster().nodes().get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            admin.describeTopics(List.of(topic)).allTopicNames().get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return r.status(nodes > 0).detail("brokers", nodes).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return r.status(false).detail("error", "interrupted").build();
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return r.status(false).detail("error", cause.getClass().getSimpleName()).build();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
