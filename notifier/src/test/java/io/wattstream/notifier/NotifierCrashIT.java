package io.wattstream.notifier;

import static io.wattstream.notifier.Alerts.cleared;
import static io.wattstream.notifier.Alerts.raised;
import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.harness.ChildJvm;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Alert;
import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.NotifyRoute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notifier as its own process, killed with SIGKILL while a receiver holds a request, then
 * started again on the same consumer group: every transition arrives, none that the receiver
 * confirmed arrives again, and each device's transitions keep their order.
 */
class NotifierCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-20T12:00:00Z");

    private static Kafka kafka;

    @BeforeAll
    static void start() {
        kafka = new Kafka(EmbeddedKafka.startEphemeral());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedMidDeliveryRestartsWithoutLosingOrRepeatingConfirmedTransitions() throws Exception {
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant start = T0.plusSeconds(600L * i);
            sent.add(raised("crash-1", start));
            sent.add(cleared("crash-1", start, start.plusSeconds(60)));
        }
        sent.add(raised("crash-2", T0));
        sent.add(cleared("crash-2", T0, T0.plusSeconds(30)));
        String held = Transition.idempotencyKey(sent.get(2));

        CountDownLatch killed = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean();
        Function<Receiver.Request, Integer> responder = r -> {
            if (r.header("Idempotency-Key").equals(held) && holding.compareAndSet(false, true)) {
                try {
                    killed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 500; // answered to a dead process: never confirmed
            }
            return 200;
        };
        try (Receiver receiver = Receiver.started().answering(responder)) {
            kafka.entry(NotifyEntry.of(new NotifyChannel("crash", NotifyChannel.Type.WEBHOOK, receiver.url("/crash"),
                    "crash-secret-0123456789", null, null)));
            kafka.entry(NotifyEntry.of(new NotifyRoute("crash", List.of("crash"), null, null, null, null, null, null, null, null)));
            sent.forEach(kafka::alert);

            Path logs = Path.of("target", "notifier-crash");
            try (ChildJvm first = child(logs.resolve("first.log"))) {
                Poll.until("the receiver holding the third transition", WAIT, holding::get);
                List<String> confirmedBeforeKill = keys(receiver);
                assertThat(confirmedBeforeKill).contains(Transition.idempotencyKey(sent.get(0)), Transition.idempotencyKey(sent.get(1)));
                first.kill(); // SIGKILL: no shutdown hook, no final commit
            } finally {
                killed.countDown();
            }

            try (ChildJvm second = child(logs.resolve("second.log"))) {
                List<String> all = sent.stream().map(Transition::idempotencyKey).toList();
                Poll.until("every transition confirmed after the restart", WAIT, () -> keys(receiver).containsAll(all));
                Map<String, Long> times = keys(receiver).stream().collect(Collectors.groupingBy(k -> k, Collectors.counting()));
                assertThat(times).as("each transition confirmed exactly once").containsOnlyKeys(all).allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
                assertThat(receiver.requests().stream().filter(r -> r.header("Idempotency-Key").equals(held)))
                        .as("the held transition was sent again with the same key").hasSize(2);
                for (String device : List.of("crash-1", "crash-2")) {
                    List<String> expected = sent.stream().filter(a -> a.deviceId().equals(device)).map(Transition::idempotencyKey).toList();
                    assertThat(keys(receiver).stream().filter(expected::contains).toList()).as("order of %s", device)
                            .containsExactlyElementsOf(expected);
                }
                second.terminate(Duration.ofSeconds(30));
            }
        }
    }

    private static List<String> keys(Receiver r) {
        return r.accepted().stream().map(x -> x.header("Idempotency-Key")).toList();
    }

    /** {@link Main} in its own JVM, configured through the environment as in a deployment. */
    private static ChildJvm child(Path log) throws IOException {
        Files.deleteIfExists(log); // "ready" must come from this run
        return ChildJvm.builder(Main.class)
                .maxHeap("256m")
                // The killed member holds its partitions until its session times out: keep that short.
                .jvmArgs(List.of("-Dapp.alerts-commit-interval=200ms", "-Dapp.kafka.consumer.session.timeout.ms=6000"))
                .env(Map.of(
                        "KAFKA_BROKER", kafka.broker.bootstrapServers(),
                        "NOTIFIER_PORT", Integer.toString(freePort()),
                        "NOTIFIER_GROUP_ID", "notifier-crash-it",
                        "NOTIFIER_START_FROM", "earliest",
                        "NOTIFIER_RETRY_INITIAL_BACKOFF", "50ms",
                        "NOTIFIER_RETRY_MAX_BACKOFF", "200ms",
                        "NOTIFIER_SEND_TIMEOUT", "30s"))
                .log(log)
                .start()
                .awaitOutput("notifier ready", WAIT);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
