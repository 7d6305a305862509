package io.wattstream.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records the machine so a noisy result is recognisable: cores, load average, and every other
 * process that used more than 5 % of a core, sampled for a second at the start and over the whole
 * run at the end (processes of this suite excluded).
 */
final class Preflight {

    private static final double BUSY_PERCENT = 5.0;

    private final long startNanos = System.nanoTime();
    private final Map<Long, Long> startTicks;
    private final String startLine;

    private Preflight(Map<Long, Long> startTicks, String startLine) {
        this.startTicks = startTicks;
        this.startLine = startLine;
    }

    /** Samples for one second and returns the preflight; {@link #line()} describes it. */
    static Preflight take() throws InterruptedException {
        Map<Long, Long> before = Procs.cpuSnapshot();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(1);
        Map<Long, Long> after = Procs.cpuSnapshot();
        String busy = busy(before, after, System.nanoTime() - t0);
        String line = String.format(Locale.ROOT, "preflight: %d cores, load average %s, other processes > %.0f %% CPU: %s",
                Runtime.getRuntime().availableProcessors(), loadAverage(), BUSY_PERCENT, busy);
        return new Preflight(after, line);
    }

    String line() {
        return startLine;
    }

    /** The same over the whole run, for processes alive at both ends. */
    String endLine() {
        Map<Long, Long> now = Procs.cpuSnapshot();
        return String.format(Locale.ROOT, "during the run (%.0f s): load average %s, other processes > %.0f %% CPU: %s",
                (System.nanoTime() - startNanos) / 1e9, loadAverage(), BUSY_PERCENT, busy(startTicks, now, System.nanoTime() - startNanos));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String busy(Map<Long, Long> before, Map<Long, Long> after, long nanos) {
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ours.add(ProcessHandle.current().pid());
        ProcessHandle.current().parent().ifPresent(p -> ours.add(p.pid())); // the run.sh shell
        double seconds = nanos / 1e9;
        List<String> busy = new ArrayList<>();
        after.entrySet().stream()
                .filter(e -> before.containsKey(e.getKey()) && !ours.contains(e.getKey()))
                .map(e -> Map.entry(e.getKey(), 100.0 * (e.getValue() - before.get(e.getKey())) / Procs.CLOCK_TICKS_PER_SECOND / seconds))
                .filter(e -> e.getValue() > BUSY_PERCENT)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> busy.add(String.format(Locale.ROOT, "%s(%d) %.0f%%", Procs.name(e.getKey()), e.getKey(), e.getValue())));
        return busy.isEmpty() ? "none" : String.join(", ", busy);
    }
}
