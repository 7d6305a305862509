package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.harness.Poll;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Under a steady load in every shape, breaks one part at a time and proves that every reading the
 * gateway acknowledged is stored exactly once, on the topic and in the table, with aggregates and
 * alerts that match the stored readings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineFaultsIT {

    /** A bound, not a pace: on an idle machine each check passes within seconds of the fault ending. */
    private static final Duration CATCH_UP = Duration.ofSeconds(240);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    private static Pipeline pipeline;
    private static Load load;
    private static Checker checker;

    @BeforeAll
    static void start() {
        pipeline = new Pipeline();
        // 8 devices every 40 ms (~200 requests/s, ~225 readings/s with the batches) and the alert device.
        load = new Load(pipeline.gatewayUrl(), "f", 8, Duration.ofMillis(40)).start();
        checker = new Checker(pipeline.postgres::dataSource, pipeline.kafka.bootstrapServers(), Load.PREFIX + "f-", OUT);
        awaitMoreAccepted(500);
    }

    @AfterAll
    static void stop() {
        if (load != null) {
            load.close();
        }
        if (checker != null) {
            checker.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void streamProcessorKilledAbruptlyLosesAndDuplicatesNothing() {
        pipeline.killStreams();
        awaitMoreAccepted(300);
        pipeline.startStreams();
        assertHolds("stream processor SIGKILL + restart");
    }

    @Test
    @Order(2)
    void connectWorkerStoppedAndRestartedLosesAndDuplicatesNothing() {
        pipeline.connect.stop();
        awaitMoreAccepted(300);
        pipeline.connect.start();
        assertHolds("Connect worker stop + restart");
    }

    @Test
    @Order(3)
    void failedSinkTaskRestartsAndLosesNothing() {
        String connector = "wattstream-sink-measurement";
        // Every insert into measurement fails until the trigger goes: the task exhausts its retries and fails.
        sql("create or replace function reliability_refuse() returns trigger language plpgsql as "
                + "$$ begin raise exception 'induced sink failure'; end $$");
        sql("create trigger reliability_refuse before insert or update on measurement "
                + "for each row execute function reliability_refuse()");
        try {
            Poll.until("a FAILED task of " + connector, Duration.ofSeconds(90), () -> pipeline.connect.status(connector)
                    .map(s -> s.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))).orElse(false));
        } finally {
            sql("drop trigger reliability_refuse on measurement");
        }
        // The worker's supervisor restarts failed tasks; the restarted task resumes from the committed offsets.
        Poll.until(connector + " RUNNING again", Pipeline.WAIT, () -> pipeline.connect.status(connector)
                .map(EmbeddedConnect.ConnectorStatus::running).orElse(false));
        assertHolds("sink task failure + restart");
    }

    @Test
    @Order(4)
    void postgresDownForTenSecondsLosesNothing() {
        pipeline.postgres.stop();
        Poll.hold(OUTAGE, () -> { });
        pipeline.postgres.start();
        assertHolds("PostgreSQL down 10 s");
    }

    @Test
    @Order(5)
    void kafkaDownForTenSecondsAnswers503AndRecoversByItself() {
        long before503 = load.status(503);
        pipeline.kafka.stop();
        load.watchForAcknowledgements();
        Poll.hold(OUTAGE, () -> assertThat(load.acknowledgedDuringWatch())
                .as("readings acknowledged while the broker is down").isZero());
        long acknowledgedWhileDown = load.endWatch();
        long answered503 = load.status(503) - before503;
        pipeline.kafka.start();
        OUT.printf("RELIABILITY [Kafka down 10 s] answered 503 while down=%d, 2xx while down=%d%n",
                answered503, acknowledgedWhileDown);
        assertThat(acknowledgedWhileDown).isZero();
        assertThat(answered503).as("503 answers while the broker was down").isPositive();
        // The gateway recovers by itself: acknowledgements resume without any restart.
        awaitMoreAccepted(300);
        Checker.Counts last = assertHolds("Kafka down 10 s");
        // On a quick run the load may not have closed a 1-minute window yet (one minute plus 30 s grace of event
        // time): keep it going until one has, so the aggregate comparison is not vacuous.
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (last.windowsChecked() == 0 && System.nanoTime() < deadline) {
            awaitMoreAccepted(300);
            last = assertHolds("Kafka down 10 s, windows closed");
        }
        assertThat(last.windowsChecked()).as("closed 1-minute windows compared: " + last).isPositive();
    }

    /**
     * Soak mode (bench/soak/run.sh, never part of the normal build): the fault cycle above, repeated
     * under load for {@code -Dreliability.soak.minutes=N}, checked after every fault.
     */
    @Test
    @Order(6)
    @EnabledIfSystemProperty(named = "reliability.soak.minutes", matches = "\\d+")
    void soak() {
        long end = System.nanoTime() + Duration.ofMinutes(Long.getLong("reliability.soak.minutes")).toNanos();
        int cycle = 0;
        while (System.nanoTime() < end) {
            cycle++;
            OUT.println("RELIABILITY soak cycle " + cycle);
            streamProcessorKilledAbruptlyLosesAndDuplicatesNothing();
            connectWorkerStoppedAndRestartedLosesAndDuplicatesNothing();
            postgresDownForTenSecondsLosesNothing();
            kafkaDownForTenSecondsAnswers503AndRecoversByItself();
        }
    }

    private static Checker.Counts assertHolds(String phase) {
        return checker.assertHolds(phase, load, CATCH_UP);
    }

    private static void awaitMoreAccepted(int more) {
        load.awaitMoreAccepted(more, Pipeline.WAIT);
    }

    private static void sql(String statement) {
        try (Connection c = pipeline.postgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }
}
