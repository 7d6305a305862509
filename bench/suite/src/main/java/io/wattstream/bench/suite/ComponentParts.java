package io.wattstream.bench.suite;

import io.wattstream.embedded.harness.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** The per-component benchmarks, each in a quick setting that fits the suite's time budget. */
final class ComponentParts {

    /** Start-up chatter of the logging bridge, in the log file but not worth the console. */
    private static final Pattern NOISE = Pattern.compile(
            "Helidon logging implementation|j\\.u\\.l\\.Logger|AbstractLoggerAdapter|log4j-jul\\.html|^EXPLAIN ANALYZE");
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d[.,]\\d{3} ");
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    static Map<String, BenchSuite.Part> all(Path rawDir) {
        Map<String, BenchSuite.Part> parts = new LinkedHashMap<>();
        parts.put("ingest", new IngestPart(rawDir));
        parts.put("ws", new WsPart(rawDir));
        parts.put("streams", new StreamsPart(rawDir));
        parts.put("sink", new SinkPart(rawDir));
        parts.put("query", new QueryPart(rawDir));
        return parts;
    }

    /**
     * Runs one component benchmark's main in its own JVM (same classpath as this suite), so each part
     * starts from a clean heap and its embedded brokers and databases cannot outlive it. Output goes to
     * {@code log} and the part's own summary lines to this console; the text is returned for parsing.
     */
    static String run(String mainClass, List<String> properties, List<String> args, Path log, Duration timeout) {
        System.out.println("  $ java ... " + mainClass + " " + String.join(" ", properties) + " " + String.join(" ", args));
        StringBuilder out = new StringBuilder();
        ChildJvm child = ChildJvm.builder(mainClass).maxHeap("1g").jvmArgs(properties).args(args).log(log)
                .onOutputLine(line -> {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (!line.isBlank() && !LOG_LINE.matcher(line).find() && !line.startsWith("  ") && !NOISE.matcher(line).find()) {
                        System.out.println("  | " + line); // the part's own summary lines; the rest is in the log
                    }
                })
                .start();
        Thread stopOnExit = new Thread(() -> child.stop(STOP_GRACE), "stop-" + mainClass);
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        OptionalInt exit = child.awaitFinish(timeout);
        if (exit.isEmpty()) {
            child.stop(STOP_GRACE);
        }
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        if (exit.isEmpty()) {
            throw new IllegalStateException(mainClass + " did not finish within " + timeout + " (stopped; log: " + log + ")");
        }
        if (exit.getAsInt() != 0) {
            throw new IllegalStateException(mainClass + " exited with " + exit.getAsInt() + " (log: " + log + ")");
        }
        synchronized (out) {
            return out.toString();
        }
    }

    private ComponentParts() {
    }
}
