package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.streams.app.StreamsProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's start command, {@code ./wattstream}, run as a user with an older {@code java} first on
 * {@code PATH} runs it: the stand-in {@code java} below fails loudly if the launcher ever uses it. Runs
 * after {@code package}, so the jar is there and newer than the sources (no build is triggered).
 */
class StartCommandIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private record Run(int exit, String out, String err) {
    }

    @Test
    void findsAJdk21FromJavaHomeWhenAnOlderJavaIsFirstOnPath(@TempDir Path tmp) throws Exception {
        Path oldJava = oldJavaOnPath(tmp);
        Run run = run(Map.of("PATH", oldJava + ":/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home")),
                "--help");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage:").contains("--simulate");
        assertThat(run.err()).doesNotContain("UnsupportedClassVersionError").doesNotContain("old java was used");
    }

    @Test
    void saysInOneLineWhatToDoWhenNoJdk21IsFound(@TempDir Path tmp) throws Exception {
        Path oldJava = oldJavaOnPath(tmp);
        Run run = run(Map.of("PATH", oldJava + ":/usr/bin:/bin", "JAVA_HOME", oldJava.getParent().toString(),
                "WATTSTREAM_JDK_DIRS", tmp.resolve("no-jdks-here").toString()), "--help");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        List<String> lines = run.err().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("needs a JDK 21 or newer").contains("JAVA_HOME").contains("17.0.2");
    }

    @Test
    void startsQuietlyKeepsItsFilesUnderTheDataDirectoryAndComesBackAfterSigkill(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir", data.toString()));
        for (String flag : List.of("--gateway-port", "--query-port", "--origin-port", "--connect-port", "--state-port", "--notifier-port",
                "--kafka-port", "--postgres-port")) {
            args.addAll(List.of(flag, Integer.toString(io.wattstream.embedded.Ports.free())));
        }
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "JAVA_HOME", System.getProperty("java.home"));

        Started first = start(env, args, tmp.resolve("first.out"));
        String console = Files.readString(first.output());
        String beforeBanner = console.substring(0, console.indexOf("Wattstream is ready"));
        // Parts, their timings and the log file's name; no library notices or JVM warnings.
        assertThat(beforeBanner.lines().filter(l -> !l.isBlank()))
                .allMatch(l -> l.startsWith("Wattstream local stack") || l.matches("  starting .* ready in +[0-9.]+ s")
                        || l.startsWith("  full log in "), "a progress line");
        assertThat(console).doesNotContain("WARNING:").doesNotContain("Helidon logging").doesNotContain(" WARN ");
        Path log = data.resolve("logs/wattstream.log");
        assertThat(console).contains("full log in " + log);
        assertThat(Files.readString(log)).contains("INFO").contains("io.wattstream");
        assertThat(data.resolve("pg-binaries")).isNotEmptyDirectory();

        // SIGKILL: the JVM dies at once, its PostgreSQL (own processes) keeps the port. A new start recovers.
        first.process().destroyForcibly().waitFor();
        Started second = start(env, args, tmp.resolve("second.out"));
        assertThat(Files.readString(second.output())).contains("left running on").contains("Wattstream is ready");
        // The restarted stream processor and notifier took the dead ones' places in their groups under the
        // same static names, instead of waiting for the dead members' sessions to expire.
        String kafka = "127.0.0.1:" + args.get(args.indexOf("--kafka-port") + 1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            Map<String, String> expected = Map.of(StreamsProperties.DEFAULT_APPLICATION_ID, LocalStack.STREAMS_INSTANCE + "-1",
                    "wattstream-notifier", LocalStack.NOTIFIER_INSTANCE);
            var groups = admin.describeConsumerGroups(expected.keySet()).all().get(30, TimeUnit.SECONDS);
            expected.forEach((group, member) -> assertThat(groups.get(group).members())
                    .as("members of " + group + " after the restart")
                    .extracting(m -> m.groupInstanceId().orElse("(dynamic) " + m.consumerId()))
                    .containsExactly(member));
        }
        // And data flows again: a reading sent now is acknowledged and reaches its row.
        String gateway = "http://127.0.0.1:" + args.get(args.indexOf("--gateway-port") + 1);
        String query = "http://127.0.0.1:" + args.get(args.indexOf("--query-port") + 1);
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway + "/webhook/after-kill"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"power\":120.5,\"voltage\":230.1,\"current\":0.52,\"energy\":10.2}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        HttpRequest rows = HttpRequest.newBuilder(URI.create(query + "/api/measurements/?device=after-kill")).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String body = "";
        while (!body.contains("\"power\":120.5") && System.nanoTime() < deadline) {
            body = http.send(rows, HttpResponse.BodyHandlers.ofString()).body();
            second.process().waitFor(200, TimeUnit.MILLISECONDS);
        }
        assertThat(body).as("the reading sent after the restart, stored").contains("\"power\":120.5");

        second.process().destroy(); // SIGTERM, as Ctrl-C
        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).as("the stack ended within 60 s of SIGTERM").isTrue();
        assertThat(Files.readString(second.output())).contains("Stopped.");
    }

    private record Started(Process process, Path output) {
    }

    /** Runs the start command until its banner is printed; output (stdout and stderr) goes to {@code output}. */
    private static Started start(Map<String, String> env, List<String> args, Path output) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("wattstream").toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.readString(output).contains("Press Ctrl-C to stop.")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("no banner (alive: " + p.isAlive() + "):\n" + Files.readString(output));
            }
            p.waitFor(200, TimeUnit.MILLISECONDS);
        }
        return new Started(p, output);
    }

    /** A {@code bin/java} that reports version 17 and refuses to run anything else. */
    private static Path oldJavaOnPath(Path tmp) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("old-jdk/bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                case "$*" in
                  *-XshowSettings*) echo '    java.specification.version = 17' >&2 ;;
                  *-version*) echo 'openjdk version "17.0.2" 2022-01-18' >&2 ;;
                  *) echo 'old java was used' >&2; exit 99 ;;
                esac
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static Run run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(ROOT.resolve("wattstream").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("HOME", System.getProperty("user.home"));
        Path out = Files.createTempFile("start-command", ".out");
        Path err = Files.createTempFile("start-command", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the start command ended").isTrue();
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
