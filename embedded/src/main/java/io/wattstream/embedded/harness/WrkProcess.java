package io.wattstream.embedded.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the {@code wrk} load generator, as the benchmarks start it: its whole output, or an
 * exception with that output when wrk fails or outlives its duration by 30 s. Each benchmark reads
 * the figures it needs from the output.
 */
public final class WrkProcess {

    /** Runs {@code wrk args...}, whose {@code -d} is {@code seconds}, and returns what it printed. */
    public static String run(int seconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        return out;
    }

    private WrkProcess() {
    }
}
