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
    private final long[] startMachine = machineTicks();
    private final String startLine;
    /** CPU ticks of other processes over the run, summed between samples, by process name. */
    private final Map<String, Long> othersByName = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Set<Long>> pidsByName = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private Preflight(Map<Long, Long> startTicks, String startLine) {
        this.startLine = startLine;
        // Other processes come and go (builds, test JVMs): sample every 2 s, not only at both ends.
        this.sampler = Thread.ofPlatform().name("cpu-sampler").daemon().start(() -> sample(startTicks));
    }

    private void sample(Map<Long, Long> first) {
        Map<Long, Long> prev = first;
        while (running) {
            try {
                TimeUnit.SECONDS.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
            Map<Long, Long> now = Procs.cpuSnapshot();
            Set<Long> ours = ours();
            for (Map.Entry<Long, Long> e : now.entrySet()) {
                Long before = prev.get(e.getKey());
                if (before != null && !ours.contains(e.getKey()) && e.getValue() > before) {
                    String name = Procs.name(e.getKey());
                    othersByName.merge(name, e.getValue() - before, Long::sum);
                    pidsByName.computeIfAbsent(name, k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(e.getKey());
                }
            }
            prev = now;
        }
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

    /**
     * Over the whole run: the machine's CPU use, and other processes (by name) that used more than
     * 5 % of a core on average. PostgreSQL servers started by the parts are daemons of their own and
     * count as "others".
     */
    String endLine() {
        running = false;
        sampler.interrupt();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] end = machineTicks();
        double busy = end[1] - startMachine[1] == 0 ? Double.NaN
                : 100.0 * (end[0] - startMachine[0]) / (end[1] - startMachine[1]);
        List<String> busyNames = new ArrayList<>();
        othersByName.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), 100.0 * e.getValue() / Procs.CLOCK_TICKS_PER_SECOND / seconds))
                .filter(e -> e.getValue() > BUSY_PERCENT)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> busyNames.add(String.format(Locale.ROOT, "%s %.0f%% (%d processes)", e.getKey(), e.getValue(),
                        pidsByName.getOrDefault(e.getKey(), Set.of()).size())));
        return String.format(Locale.ROOT, "during the run (%.0f s): machine CPU %.0f %% busy (all cores), load average %s, "
                        + "other processes > %.0f %% of a core on average: %s", seconds, busy, loadAverage(), BUSY_PERCENT,
                busyNames.isEmpty() ? "none" : String.join(", ", busyNames));
    }

    /** Busy and total jiffies of all CPUs from /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static Set<Long> ours() {
        Set<Long> ours = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        ours.add(ProcessHandle.current().pid());
        ProcessHandle.current().parent().ifPresent(p -> ours.add(p.pid())); // the run.sh shell
        return ours;
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
        Set<Long> ours = ours();
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
