package io.wattstream.bench.suite;

import io.wattstream.embedded.harness.WrkProcess;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Pipeline capacity ({@code pipeline_capacity_rps}): the highest rate of webhook readings the local
 * stack sustains, found by a short search. Each step drives the running stack open loop ({@code wrk}
 * on a fixed schedule per thread, every webhook shape mixed over 2,000 devices) and accepts the rate only
 * if the gateway kept up without an error, every 2xx has its {@code measurement} row, a latency probe's
 * rows (100/s, {@link EndToEnd#rowsOnly}) arrived within 2 s at p99, and the stream processor's lag
 * on the raw topic did not grow. Rates double from 1,000/s until one fails, are bisected twice, and
 * the best is held for 60 s; the failures of the first rejected rate say what limits the pipeline.
 */
final class CapacityPart implements BenchSuite.Part {

    static final double GOAL = 8_000;
    private static final int START_RATE = Integer.getInteger("bench.capacity.start-rate", 1_000);
    private static final int MAX_RATE = Integer.getInteger("bench.capacity.max-rate", 16_000);
    private static final int STEP_SECONDS = Integer.getInteger("bench.capacity.step-seconds", 8);
    /**
     * Before the search, a rate the stack holds, long enough for the JIT to compile the hot paths: a cold
     * stack spends a quarter of its CPU in the compiler and falls behind at rates a warm one holds.
     */
    private static final int WARMUP_RATE = Integer.getInteger("bench.capacity.warmup-rate", 300);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.capacity.warmup-seconds", 60);
    private static final int HOLD_SECONDS = Integer.getInteger("bench.capacity.hold-seconds", 60);
    private static final int BISECTIONS = Integer.getInteger("bench.capacity.bisections", 2);
    /** Search steps stop early so that the whole part stays within this (the hold included). */
    private static final int BUDGET_SECONDS = Integer.getInteger("bench.capacity.budget-seconds", 360);
    private static final int CONNECTIONS = Integer.getInteger("bench.capacity.connections", 96);
    private static final int THREADS = 2;
    /**
     * Meters at a few readings/s each, as a site's chargers send: the same rate over 20 meters would put
     * dozens of distinct readings on one whole-second device time, whose identities cost the stream
     * processor one store lookup per reading already at that time.
     */
    private static final int DEVICES = Integer.getInteger("bench.capacity.devices", 2_000);
    private static final int PROBE_RATE = 100;
    private static final double ROW_P99_MS = 2_000;
    /** The rate counts as reached at 95 % of the schedule (wrk's delay has millisecond steps). */
    private static final double RATE_TOLERANCE = 0.95;
    /** Lag may grow by at most this share of the offered rate: the processor keeps up within 3 %. */
    private static final double LAG_GROWTH_TOLERANCE = 0.03;
    private static final String STREAMS_GROUP = "wattstream-streams";

    /** One step: its load, what arrived, and the criteria it failed (empty when the rate holds). */
    record Step(int rate, int seconds, double achieved, long ok, long errors, long rows, double rowP99Ms, int probeLost,
                double lagSlope, long lagMax, List<String> failed) {
        boolean passed() {
            return failed.isEmpty();
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d/s for %d s: sent %,.0f/s, %,d answered 2xx, %,d errors, %,d rows; probe rows p99 %s ms "
                            + "(%d lost); stream lag max %,d, trend %+,.0f/s -> %s", rate, seconds, achieved, ok, errors, rows,
                    Double.isInfinite(rowP99Ms) ? "lost" : Figure.fmt(rowP99Ms), probeLost, lagMax, lagSlope,
                    passed() ? "holds" : "fails: " + String.join("; ", failed));
        }
    }

    private final Path jar;
    private final Path rawDir;
    private final List<String> details = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private int stepNo;
    private long t0;

    CapacityPart(Path jar, Path rawDir) {
        this.jar = jar;
        this.rawDir = rawDir;
    }

    @Override
    public List<String> details() {
        return details;
    }

    @Override
    public List<Figure> run() throws Exception {
        t0 = System.nanoTime();
        List<String> jvm = LocalStackProcess.jvmOptions(rawDir.resolve("capacity-local-stack.jfr"));
        System.out.println("capacity: starting java " + String.join(" ", jvm) + " -jar " + jar + " --ephemeral (own process, free ports)");
        try (LocalStackProcess stack = LocalStackProcess.start(jar, jvm, rawDir.resolve("capacity-local-stack.log"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
            System.out.printf(Locale.ROOT, "capacity: stack ready after %.1f s; warm-up at %d/s for %d s (not judged)%n",
                    stack.readySeconds(), WARMUP_RATE, WARMUP_SECONDS);
            step(stack, admin, WARMUP_RATE, WARMUP_SECONDS);
            steps.clear();

            int pass = 0;
            Step firstFail = null;
            for (int rate = START_RATE; rate <= MAX_RATE; rate *= 2) {
                Step s = step(stack, admin, rate, STEP_SECONDS);
                if (!s.passed()) {
                    firstFail = s;
                    break;
                }
                pass = rate;
            }
            for (int i = 0; i < BISECTIONS && firstFail != null && left() > STEP_SECONDS + 25 + HOLD_SECONDS + 25; i++) {
                int mid = (int) Math.round((pass + firstFail.rate()) / 2.0 / 100) * 100;
                // At or below the probe's own rate wrk would have nothing to send (and a rate of 0 floods).
                if (mid <= pass || mid >= firstFail.rate() || mid <= PROBE_RATE) {
                    break;
                }
                Step s = step(stack, admin, mid, STEP_SECONDS);
                if (s.passed()) {
                    pass = mid;
                } else {
                    firstFail = s;
                }
            }
            Step held = pass > 0 ? step(stack, admin, pass, HOLD_SECONDS) : null;
            if (held != null && !held.passed()) {
                // The search's short step flattered the rate: one more hold at 80 % of it, if time allows.
                firstFail = held;
                int lower = (int) Math.round(pass * 0.8 / 100) * 100;
                held = lower > 0 && left() > HOLD_SECONDS + 25 ? step(stack, admin, lower, HOLD_SECONDS) : null;
            }
            return List.of(figure(held, firstFail));
        }
    }

    private double left() {
        return BUDGET_SECONDS - (System.nanoTime() - t0) / 1e9;
    }

    private Figure figure(Step held, Step limit) {
        details.add("Search over rates (open loop, " + DEVICES + " devices, every webhook shape, wrk -t" + THREADS + " -c" + CONNECTIONS
                + ", plus a row-latency probe of " + PROBE_RATE + " readings/s; each step judged as it ended):");
        details.add("");
        steps.forEach(s -> details.add("- " + s.describe()));
        details.add("");
        String limitText = limit == null ? "no rate up to " + MAX_RATE + "/s failed"
                : "at " + String.format(Locale.ROOT, "%,d/s", limit.rate()) + ": " + String.join("; ", limit.failed());
        details.add("Limit: " + limitText);
        double value = held != null && held.passed() ? held.rate() : Double.NaN;
        String ctx = held == null ? "no rate held; " + limitText
                : String.format(Locale.ROOT, "held %d s: %,d readings, probe rows p99 %s ms, stream lag max %,d; limit %s",
                held.seconds(), held.ok(), Figure.fmt(held.rowP99Ms()), held.lagMax(), limitText);
        System.out.println("capacity: " + (Double.isNaN(value) ? "no rate held" : String.format(Locale.ROOT, "%,.0f readings/s held %d s",
                value, held.seconds())) + "; limit " + limitText);
        return Figure.of("pipeline_capacity_rps", value, "readings/s", ctx).atLeast(GOAL);
    }

    /** Drives one rate for {@code seconds}, then waits for what it sent to be stored and judges it. */
    private Step step(LocalStackProcess stack, Admin admin, int rate, int seconds) throws Exception {
        stepNo++;
        String prefix = "cap" + stepNo + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "-";
        Path script = luaScript(prefix, rate - PROBE_RATE);
        EndToEnd probe = EndToEnd.rowsOnly(stack.gatewayUrl(), stack.bootstrap(), stack.jdbcUrl(), PROBE_RATE, seconds);
        CompletableFuture<EndToEnd.Result> probed = CompletableFuture.supplyAsync(() -> {
            try {
                return probe.run();
            } catch (Exception e) {
                throw new IllegalStateException("the latency probe failed", e);
            }
        });
        LagSampler lag = new LagSampler(admin);
        Output wrk;
        try (lag) {
            // A second longer than the probe, which first seeks its consumer to the end of the raw topic.
            wrk = wrk(stack.gatewayUrl(), script, seconds + 1, rawDir.resolve("capacity-wrk-" + stepNo + ".log"));
        }
        EndToEnd.Result p = probed.get(seconds + 90L, TimeUnit.SECONDS);
        long requests = (long) wrk.number("(\\d+) requests in");
        double wrkSeconds = wrkSeconds(wrk);
        long errors = wrk.all("Non-2xx or 3xx responses: (\\d+)").stream().mapToLong(r -> (long) r[0]).sum()
                + wrk.all("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").stream()
                .mapToLong(r -> (long) (r[0] + r[1] + r[2] + r[3])).sum();
        long ok = requests - errors;
        long rows = awaitRows(stack.jdbcUrl(), prefix, ok);
        awaitCaughtUp(admin);

        double achieved = (requests + p.sent()) / wrkSeconds;
        double rowP99 = p.row().p99();
        int probeLost = p.row().lost() - p.non2xx();
        List<String> failed = new ArrayList<>();
        if (achieved < RATE_TOLERANCE * rate) {
            failed.add(String.format(Locale.ROOT, "the gateway's answers kept the load at %,.0f/s with %d connections", achieved, CONNECTIONS));
        }
        if (errors + p.non2xx() > 0) {
            failed.add((errors + p.non2xx()) + " requests not answered 2xx");
        }
        if (rows < ok || probeLost > 0) {
            failed.add(String.format(Locale.ROOT, "lost: %,d of %,d acknowledged readings have no row", Math.max(0, ok - rows) + probeLost,
                    ok + p.sent() - p.non2xx()));
        }
        if (rows > ok + CONNECTIONS + errors) {
            failed.add(String.format(Locale.ROOT, "%,d rows for %,d acknowledged readings: duplicates", rows, ok));
        }
        if (lag.slope() > LAG_GROWTH_TOLERANCE * rate) {
            failed.add(String.format(Locale.ROOT, "stream processor's lag grew by %,.0f records/s (max %,d)", lag.slope(), lag.max()));
        }
        if (!(rowP99 <= ROW_P99_MS)) {
            failed.add("rows p99 " + (Double.isInfinite(rowP99) ? "beyond the drain (probe readings lost)" : Figure.fmt(rowP99) + " ms")
                    + " > 2 s");
        }
        Step s = new Step(rate, seconds, achieved, ok + p.sent() - p.non2xx(), errors + p.non2xx(), rows, rowP99, probeLost,
                lag.slope(), lag.max(), failed);
        steps.add(s);
        System.out.println("capacity: " + s.describe());
        return s;
    }

    /** Rows of the step's devices, once they reach {@code expected} or stop growing for 5 s (at most 60 s). */
    private static long awaitRows(String jdbcUrl, String prefix, long expected) throws SQLException, InterruptedException {
        String[] devices = IntStream.range(0, DEVICES).mapToObj(d -> prefix + d).toArray(String[]::new);
        try (Connection c = DriverManager.getConnection(jdbcUrl, "wattstream", "wattstream");
             PreparedStatement ps = c.prepareStatement("select count(*) from measurement where device_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", devices));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long last = -1;
            long lastChange = System.nanoTime();
            while (true) {
                long rows;
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                if (rows != last) {
                    last = rows;
                    lastChange = System.nanoTime();
                }
                if (rows >= expected || System.nanoTime() > deadline || System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(5)) {
                    return rows;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }

    /** Before the next step: the stream processor back at the end of the raw topic (at most 60 s). */
    private static void awaitCaughtUp(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (LagSampler.lag(admin) > 1_000 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    /** wrk prints its duration as {@code 9.00s} or {@code 1.02m}. */
    private static double wrkSeconds(Output wrk) {
        List<double[]> minutes = wrk.all("requests in ([\\d.]+)m,");
        return minutes.isEmpty() ? wrk.number("requests in ([\\d.]+)s,") : minutes.get(0)[0] * 60;
    }

    private static Output wrk(String url, Path script, int seconds, Path log) throws IOException, InterruptedException {
        String out = WrkProcess.run(seconds, "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), url);
        Files.writeString(log, out, StandardCharsets.UTF_8);
        return new Output(out);
    }

    /**
     * Open loop per wrk thread: each request takes the next slot of the thread's schedule and waits for
     * it ({@code delay}), so the offered rate does not follow the answers as long as a connection is
     * free. Devices are split over the threads, so each device's energy counter only grows; their
     * shapes cycle through the prototype's POST and GET, a POST with device id and time, a Shelly action
     * URL (whole-second {@code ts}) and a device script's {@code switch:0} status.
     */
    private static Path luaScript(String prefix, int rate) throws IOException {
        String lua = """
                local ffi = require("ffi")
                ffi.cdef[[
                typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
                int clock_gettime(int clock, bench_timespec *tp);
                ]]
                local ts = ffi.new("bench_timespec")
                local function clock(id)
                  ffi.C.clock_gettime(id, ts)
                  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
                end
                local threads = 0
                function setup(thread)
                  threads = threads + 1
                  thread:set("tid", threads)
                end
                local devices, n, interval, next_at = {}, 0, 0, nil
                local json = {["Content-Type"] = "application/json"}
                function init(args)
                  interval = @THREADS@ * 1000.0 / @RATE@
                  for d = tid - 1, @DEVICES@ - 1, @THREADS@ do
                    devices[#devices + 1] = {id = "@PREFIX@" .. d, shape = d % 5, seq = 0}
                  end
                end
                function delay()
                  local now = clock(1) * 1000
                  next_at = (next_at or now) + interval
                  local d = next_at - now
                  if d <= 0 then return 0 end
                  return math.floor(d)
                end
                function request()
                  n = n % #devices + 1
                  local dev = devices[n]
                  dev.seq = dev.seq + 1
                  local s = dev.seq
                  local power = 200 + (s * 37) % 2800
                  local voltage = 228 + (s % 40) / 10
                  local current = power / voltage
                  local energy = 1000 + s * 0.01
                  local now = clock(0)
                  local id = dev.id
                  if dev.shape == 0 then
                    return wrk.format("POST", "/webhook/" .. id, json, string.format(
                      '{"power":%.1f,"voltage":%.1f,"current":%.3f,"energy":%.2f}', power, voltage, current, energy))
                  elseif dev.shape == 1 then
                    return wrk.format("GET", string.format("/webhook/%s?power=%.1f&voltage=%.1f&current=%.3f&energy=%.2f",
                      id, power, voltage, current, energy))
                  elseif dev.shape == 2 then
                    local sec = math.floor(now)
                    local stamp = os.date("!%Y-%m-%dT%H:%M:%S", sec) .. string.format(".%03dZ", math.floor((now - sec) * 1000))
                    return wrk.format("POST", "/webhook/", json, string.format(
                      '{"device_id":"%s","power":%.1f,"voltage":%.1f,"current":%.3f,"energy":%.2f,"timestamp":"%s"}',
                      id, power, voltage, current, energy, stamp))
                  elseif dev.shape == 3 then
                    return wrk.format("GET", string.format("/webhook/?device=%s&apower=%.1f&voltage=%.1f&current=%.3f&energy=%.3f&ts=%d",
                      id, power, voltage, current, energy, math.floor(now)))
                  end
                  return wrk.format("POST", "/webhook/", json, string.format(
                    '{"src":"%s","ts":%.2f,"switch:0":{"id":0,"source":"timer","output":true,"apower":%.1f,"voltage":%.1f,'
                    .. '"freq":50.0,"current":%.3f,"pf":0.98,"aenergy":{"total":%.3f,"by_minute":[0.0,0.0,0.0],"minute_ts":%d},'
                    .. '"temperature":{"tC":41.5,"tF":106.7}}}', id, now, power, voltage, current, energy, math.floor(now / 60) * 60))
                end
                """
                .replace("@THREADS@", Integer.toString(THREADS))
                .replace("@RATE@", Integer.toString(rate))
                .replace("@DEVICES@", Integer.toString(DEVICES))
                .replace("@PREFIX@", prefix);
        Path file = Files.createTempFile("wattstream-capacity-", ".lua");
        Files.writeString(file, lua, StandardCharsets.UTF_8);
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * The stream processor's lag on the raw topic (end offsets minus its group's committed offsets),
     * sampled every 500 ms on its own thread; {@link #slope()} is the least-squares trend in records/s
     * after the first second (the schedule's start-up).
     */
    private static final class LagSampler implements AutoCloseable {
        private final Admin admin;
        private final Thread thread;
        private final List<double[]> samples = new ArrayList<>();
        private volatile boolean running = true;

        LagSampler(Admin admin) {
            this.admin = admin;
            this.thread = Thread.ofPlatform().name("capacity-lag").daemon().start(this::loop);
        }

        private void loop() {
            long start = System.nanoTime();
            while (running) {
                try {
                    long lag = lag(admin);
                    synchronized (samples) {
                        samples.add(new double[] {(System.nanoTime() - start) / 1e9, lag});
                    }
                    TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (running) {
                        System.err.println("capacity: lag sample failed: " + e);
                    }
                }
            }
        }

        static long lag(Admin admin) throws Exception {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(STREAMS_GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(Topics.RAW.name())).allTopicNames().get(10, TimeUnit.SECONDS).get(Topics.RAW.name())
                    .partitions().forEach(p -> request.put(new TopicPartition(Topics.RAW.name(), p.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }

        double slope() {
            List<double[]> s;
            synchronized (samples) {
                s = samples.stream().filter(x -> x[0] >= 1.0).toList();
            }
            if (s.size() < 3) {
                return 0;
            }
            double mx = s.stream().mapToDouble(x -> x[0]).average().orElseThrow();
            double my = s.stream().mapToDouble(x -> x[1]).average().orElseThrow();
            double num = 0;
            double den = 0;
            for (double[] x : s) {
                num += (x[0] - mx) * (x[1] - my);
                den += (x[0] - mx) * (x[0] - mx);
            }
            return den == 0 ? 0 : num / den;
        }

        long max() {
            synchronized (samples) {
                return (long) samples.stream().mapToDouble(x -> x[1]).max().orElse(0);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
