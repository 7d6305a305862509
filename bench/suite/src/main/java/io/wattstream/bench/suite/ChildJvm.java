package io.wattstream.bench.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one component benchmark's main in its own JVM (same classpath as this suite), so each part
 * starts from a clean heap and its embedded brokers and databases cannot outlive it. Output goes to
 * a log file and, line by line, to this console; the text is returned for parsing.
 */
final class ChildJvm {

    /** Start-up chatter of the logging bridge, in the log file but not worth the console. */
    private static final java.util.regex.Pattern NOISE = java.util.regex.Pattern.compile(
            "Helidon logging implementation|j\\.u\\.l\\.Logger|AbstractLoggerAdapter|log4j-jul\\.html|^EXPLAIN ANALYZE");
    private static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d[.,]\\d{3} ");

    static String run(String mainClass, List<String> properties, List<String> args, Path log, Duration timeout)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager"));
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        System.out.println("  $ java ... " + mainClass + " " + String.join(" ", properties) + " " + String.join(" ", args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread stopOnExit = new Thread(() -> stop(p), "stop-" + mainClass);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        StringBuilder out = new StringBuilder();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    file.println(line);
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (!line.isBlank() && !LOG_LINE.matcher(line).find() && !line.startsWith("  ") && !NOISE.matcher(line).find()) {
                        System.out.println("  | " + line); // the part's own summary lines; the rest is in the log
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        });
        boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            stop(p);
        }
        pump.join(5_000);
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        if (!done) {
            throw new IllegalStateException(mainClass + " did not finish within " + timeout + " (stopped; log: " + log + ")");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " exited with " + p.exitValue() + " (log: " + log + ")");
        }
        synchronized (out) {
            return out.toString();
        }
    }

    /** SIGTERM first, so the child's shutdown hooks stop its embedded PostgreSQL; then SIGKILL. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
        }
    }

    private ChildJvm() {
    }
}
