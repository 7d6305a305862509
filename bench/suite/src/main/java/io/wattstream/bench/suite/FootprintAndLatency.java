package io.wattstream.bench.suite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The local stack in its own process, as a user starts it: time to ready, memory idle, then the
 * open-loop end-to-end latency run, with memory sampled every second under that load.
 */
final class FootprintAndLatency implements BenchSuite.Part {

    private static final int RATE = Integer.getInteger("bench.e2e.rate", 1_000);
    private static final int SECONDS = Integer.getInteger("bench.e2e.seconds", 20);
    private static final int IDLE_SETTLE_SECONDS = 10;
    private static final int WARMUP_RATE = Integer.getInteger("bench.e2e.warmup-rate", 300);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.e2e.warmup-seconds", 60);

    private final Path jar;
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();

    FootprintAndLatency(Path jar, Path rawDir) {
        this.jar = jar;
        this.rawDir = rawDir;
    }

    @Override
    public List<String> details() {
        return details;
    }

    @Override
    public List<Figure> run() throws Exception {
        List<String> jvm = LocalStackProcess.jvmOptions(rawDir.resolve("local-stack.jfr"));
        System.out.println("footprint: starting java " + String.join(" ", jvm) + " -jar " + jar + " --ephemeral (own process, free ports)");
        List<Figure> figures = new ArrayList<>();
        try (LocalStackProcess stack = LocalStackProcess.start(jar, jvm, rawDir.resolve("local-stack.log"))) {
            System.out.printf(Locale.ROOT, "footprint: ready after %.1f s (the stack reports %.1f s from its main), %.1f s of CPU%n",
                    stack.readySeconds(), stack.reportedReadySeconds(), stack.readyCpuSeconds());
            TimeUnit.SECONDS.sleep(IDLE_SETTLE_SECONDS);
            LocalStackProcess.Memory idle = stack.memory();
            System.out.println("footprint: idle " + idle.describe());

            // A just-started JVM interprets the stack's code and spends a quarter of its CPU compiling it: warm it
            // up (not measured) as a running stack would be.
            System.out.printf(Locale.ROOT, "e2e: warm-up, %d readings/s for %d s (not measured)%n", WARMUP_RATE, WARMUP_SECONDS);
            new EndToEnd(stack.gatewayUrl(), stack.queryUrl(), stack.bootstrap(), stack.jdbcUrl(), WARMUP_RATE, WARMUP_SECONDS).run();
            MemorySampler sampler = new MemorySampler(stack);
            EndToEnd.Result e2e;
            long cpu0 = Procs.cpuTicks(stack.pid());
            long wall0 = System.nanoTime();
            try (sampler) {
                System.out.printf(Locale.ROOT, "e2e: %d readings/s for %d s, open loop, %s%n", RATE, SECONDS, stack.gatewayUrl());
                e2e = new EndToEnd(stack.gatewayUrl(), stack.queryUrl(), stack.bootstrap(), stack.jdbcUrl(), RATE, SECONDS).run();
            }
            // What the stack's JVM (gateway, broker, stream processor, Connect, query API) spent on that load.
            double cpuSeconds = (double) (Procs.cpuTicks(stack.pid()) - cpu0) / Procs.CLOCK_TICKS_PER_SECOND;
            String cpu = String.format(Locale.ROOT, "the stack's JVM used %.0f %% of a core (%.1f s of CPU over %.0f s, %.2f ms per reading)",
                    100 * cpuSeconds / ((System.nanoTime() - wall0) / 1e9), cpuSeconds, (System.nanoTime() - wall0) / 1e9,
                    1000 * cpuSeconds / e2e.sent());
            System.out.println("e2e: " + cpu);
            details.add("During the measured run (drain included) " + cpu + ".");
            details.add("");
            LocalStackProcess.Memory load = sampler.peak();
            System.out.println("footprint: under load (peak) " + load.describe());

            figures.add(Figure.of("ready_s", stack.readySeconds(), "s",
                    String.format(Locale.ROOT, "process start to the ready banner (the stack's own count: %.1f s); "
                            + "the JVM used %.1f s of CPU until then", stack.reportedReadySeconds(), stack.readyCpuSeconds())).below(15));
            figures.add(Figure.of("idle_mib", idle.totalMib(), "MiB", idle.describe() + ", " + IDLE_SETTLE_SECONDS + " s after ready")
                    .below(800));
            figures.add(Figure.of("load_mib", load.totalMib(), "MiB", "peak of 1 s samples at " + RATE
                    + " readings/s end to end: " + load.describe()));
            figures.addAll(e2eFigures(e2e));
        }
        return figures;
    }

    private List<Figure> e2eFigures(EndToEnd.Result r) {
        details.add(String.format(Locale.ROOT, "End-to-end, open loop: %,d readings at %,d/s (achieved send rate %,.0f/s), %d non-2xx; "
                + "latency from each reading's scheduled send time, ms:", r.sent(), RATE, r.achievedRate(), r.non2xx()));
        r.failures().forEach((why, count) -> {
            details.add("- " + count + " x " + why);
            System.out.println("e2e: " + count + " x " + why);
        });
        details.add("");
        details.add("| webhook -> | p50 | p95 | p99 | max | arrived | lost |");
        details.add("|---|---:|---:|---:|---:|---:|---:|");
        for (EndToEnd.Stage s : List.of(r.gateway(), r.raw(), r.readings(), r.sse(), r.row())) {
            details.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %,d | %,d |", s.name(), ms(s.p50()), ms(s.p95()),
                    ms(s.p99()), ms(s.max()), s.seen(), s.lost()));
            System.out.printf(Locale.ROOT, "e2e: %-18s p50 %8s  p95 %8s  p99 %8s  max %8s ms  (%d arrived, %d lost)%n",
                    s.name(), ms(s.p50()), ms(s.p95()), ms(s.p99()), ms(s.max()), s.seen(), s.lost());
        }
        details.add("");
        details.add(String.format(Locale.ROOT, "Rows are found by polling every %.0f ms, so a row's time is late by up to that.",
                r.rowPollMs()));
        String ctx = String.format(Locale.ROOT, "open loop %,d/s for %d s; p50 %%s, p95 %%s, max %%s ms%s",
                RATE, SECONDS, r.non2xx() > 0 ? "; " + r.non2xx() + " non-2xx" : "");
        return List.of(
                Figure.of("gateway_p99_ms", r.gateway().p99(), "ms", ctx.formatted(ms(r.gateway().p50()), ms(r.gateway().p95()),
                        ms(r.gateway().max()))).below(20),
                Figure.of("e2e_raw_p99_ms", r.raw().p99(), "ms", ctx.formatted(ms(r.raw().p50()), ms(r.raw().p95()), ms(r.raw().max()))),
                Figure.of("e2e_sse_p99_ms", r.sse().p99(), "ms", ctx.formatted(ms(r.sse().p50()), ms(r.sse().p95()), ms(r.sse().max())))
                        .below(100),
                Figure.of("e2e_row_p99_ms", r.row().p99(), "ms", ctx.formatted(ms(r.row().p50()), ms(r.row().p95()), ms(r.row().max())))
                        .below(1500));
    }

    private static String ms(double v) {
        return Double.isInfinite(v) ? "lost" : Figure.fmt(v);
    }

    /** Samples the stack's memory every second on its own thread; keeps the peak. */
    private static final class MemorySampler implements AutoCloseable {
        private final LocalStackProcess stack;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile LocalStackProcess.Memory peak;

        MemorySampler(LocalStackProcess stack) {
            this.stack = stack;
            this.peak = stack.memory();
            this.thread = Thread.ofPlatform().name("memory-sampler").daemon().start(this::loop);
        }

        private void loop() {
            while (running) {
                LocalStackProcess.Memory m = stack.memory();
                if (m.totalMib() > peak.totalMib()) {
                    peak = m;
                }
                try {
                    TimeUnit.SECONDS.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        LocalStackProcess.Memory peak() {
            return peak;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
