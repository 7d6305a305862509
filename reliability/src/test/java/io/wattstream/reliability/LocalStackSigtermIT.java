package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.Ports;
import io.wattstream.embedded.harness.ChildJvm;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.local.Main;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one-JVM local stack as a user runs it ({@code io.wattstream.local.Main}, the jar's main class, in
 * its own JVM on this module's classpath, which saves building the 100 MB jar first), stopped with
 * SIGTERM under load and started again on the same data directory: nothing acknowledged is lost or
 * doubled. The same run checks what the stack exposes: Connect REST and {@code /state} listen on
 * loopback only, and the PostgreSQL password appears nowhere in its (INFO-level) output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackSigtermIT {

    private static final Duration START = Duration.ofSeconds(300);
    /** The README's promise for Ctrl-C: the process is gone within a minute. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(60);
    private static final int SIGTERM_ROUNDS = 3;
    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    /** Not a default: if it shows up in the output, the stack logged it. */
    private static final String PG_CREDENTIAL = "pw-" + UUID.randomUUID();

    private static final Path DATA = Dirs.temp("wattstream-sigterm-");
    /** In target/, so the output outlives the data directory for a post-mortem; both runs append to it. */
    private static final Path LOG = Path.of("target", "local-stack-sigterm-child.log").toAbsolutePath();
    private static final int GATEWAY = Ports.free();
    private static final int QUERY = Ports.free();
    private static final int CONNECT = Ports.free();
    private static final int STATE = Ports.free();
    private static final int KAFKA = Ports.free();
    private static final int POSTGRES = Ports.free();

    private static ChildJvm stack;
    private static Load load;
    private static Checker checker;
    private static final StringBuilder output = new StringBuilder();

    @BeforeAll
    static void start() throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(LOG);
        startStack();
        load = new Load("http://127.0.0.1:" + GATEWAY, "s", 4, Duration.ofMillis(40)).start();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + POSTGRES + "/wattstream");
        ds.setUser("wattstream");
        ds.setPassword(PG_CREDENTIAL);
        checker = new Checker(() -> ds, "127.0.0.1:" + KAFKA, Load.PREFIX + "s-", OUT);
    }

    /** Starts the stack; the field holds the child at once, so a start that times out is still stopped. */
    private static ChildJvm startStack() {
        stack = ChildJvm.builder(Main.class).log(LOG)
                .jvmArgs(List.of("-Dlog4j2.configurationFile=log4j2-verbose.xml"))
                .args(List.of("--data-dir", DATA.resolve("data").toString(), "--gateway-port", Integer.toString(GATEWAY),
                        "--query-port", Integer.toString(QUERY), "--origin-port", "0", "--connect-port", Integer.toString(CONNECT),
                        "--state-port", Integer.toString(STATE), "--notifier-port", "0", "--kafka-port", Integer.toString(KAFKA),
                        "--postgres-port", Integer.toString(POSTGRES)))
                // The password through the environment, as the prototype's .env passes it (not on the command line).
                .env(Map.of("POSTGRES_PASSWORD", PG_CREDENTIAL))
                .start();
        return stack.awaitOutput("Wattstream is ready", START);
    }

    @AfterAll
    static void stop() {
        if (load != null) {
            load.close();
        }
        if (checker != null) {
            checker.close();
        }
        if (stack != null && stack.isAlive()) {
            stack.terminate(Duration.ofSeconds(90));
        }
        Dirs.deleteRecursively(DATA);
    }

    @Test
    @Order(1)
    void connectRestAndStateListenOnLoopbackOnly() {
        for (int port : List.of(CONNECT, STATE)) {
            List<String> bound = Listeners.addresses(port);
            assertThat(bound).as("listening sockets of port " + port).isNotEmpty();
            assertThat(bound).as("port " + port + " bound to loopback only").allMatch(Listeners::isLoopback);
        }
        // Devices and browsers on other machines reach the gateway and dashboard: those listen everywhere.
        assertThat(Listeners.addresses(GATEWAY)).isNotEmpty().allMatch(Listeners::isWildcard);
        assertThat(Listeners.addresses(QUERY)).isNotEmpty().allMatch(Listeners::isWildcard);
    }

    @Test
    @Order(2)
    void repeatedSigtermUnderLoadEndsTheProcessInTimeAndLosesOrDuplicatesNothing() {
        // Repeatedly, under load: every SIGTERM ends the process within the documented bound.
        for (int round = 1; round <= SIGTERM_ROUNDS; round++) {
            awaitMoreAccepted(150);
            long t0 = System.nanoTime();
            int exit = stack.terminate(STOP_BOUND);
            output.append(stack.output());
            assertThat(stack.output()).as("ordered shutdown ran").contains("Stopped.");
            OUT.printf("RELIABILITY [local stack SIGTERM %d] exit code %d after %d ms%n", round, exit,
                    (System.nanoTime() - t0) / 1_000_000);
            startStack();
        }
        awaitMoreAccepted(300);
        Checker.Counts c = checker.check("local stack SIGTERM + restart", load, load.alertDevice(), Duration.ofSeconds(120));
        assertThat(c.accepted()).isPositive();
        assertThat(c.missing()).as(c.toString()).isZero();
        assertThat(c.duplicates()).as(c.toString()).isZero();
        assertThat(c.stored()).as(c.toString()).isEqualTo(c.accepted());
        assertThat(c.wrongValues()).as(c.toString()).isZero();
        assertThat(c.missingOnTopic()).as(c.toString()).isZero();
        assertThat(c.topicDuplicates()).as(c.toString()).isZero();
        assertThat(c.windowMismatches()).as(c.toString()).isZero();
        assertThat(c.windowsMissing()).as(c.toString()).isZero();
        assertThat(c.alertMismatches()).as(c.toString()).isZero();
        assertThat(c.alertMessagesDoubled()).as(c.toString()).isZero();
    }

    @Test
    @Order(3)
    void thePostgresPasswordIsInNoLogOutput() {
        String all = stack.output();
        assertThat(all).as("captured output").contains("Wattstream is ready");
        assertThat(all.split("\n").length).as("INFO logging was on").isGreaterThan(100);
        assertThat(all).as("the PostgreSQL password in the stack's output").doesNotContain(PG_CREDENTIAL);
    }

    private static void awaitMoreAccepted(int more) {
        int target = load.acceptedCount() + more;
        Poll.until(more + " more acknowledged readings (" + load.statusSummary() + ")", START,
                () -> load.acceptedCount() >= target);
    }
}
