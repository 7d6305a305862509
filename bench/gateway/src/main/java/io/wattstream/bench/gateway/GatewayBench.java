package io.wattstream.bench.gateway;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.harness.WrkProcess;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.model.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures the gateway (parse, validate, publish with {@code acks=all}, wait for the ack) against a
 * Helidon route that answers 200 and does nothing, in the same JVM, with the same load generator
 * ({@code wrk}) and the same request, in alternating rounds. Prints requests/s, p50 and p99 for both
 * and the ratio. Binds 127.0.0.1 only. Not a test: run it with {@code bench/gateway/run.sh}.
 *
 * <p>Settings (system properties): {@code bench.rounds} (2), {@code bench.seconds} per round (10),
 * {@code bench.connections} (64), {@code bench.threads} (wrk threads, 2), {@code bench.devices} (16),
 * {@code bench.method} (POST: JSON body; GET: the reading in the query string, as Shelly actions send it),
 * {@code bench.warmup-seconds} (5 per target).
 *
 * <p>After each gateway round the 2xx answers are compared with the records added to the raw topic;
 * fewer records than 2xx answers (acknowledged data that is not there) ends the run with an error.
 */
public final class GatewayBench {

    private static final String BODY = "{\"power\": 3612.4, \"voltage\": 230.1, \"current\": 15.71, \"energy\": 152334.8}";

    /** One wrk run; {@code cpuMicrosPerRequest} is this JVM's CPU time (broker included) per request. */
    record Result(String target, double rps, double p50Ms, double p99Ms, long requests, long errors,
                  double cpuMicrosPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 2);
        int seconds = Integer.getInteger("bench.seconds", 10);
        int connections = Integer.getInteger("bench.connections", 64);
        int threads = Integer.getInteger("bench.threads", 2);
        int devices = Integer.getInteger("bench.devices", 16);
        String method = System.getProperty("bench.method", "POST").toUpperCase(java.util.Locale.ROOT);
        int warmup = Integer.getInteger("bench.warmup-seconds", 5);

        EmbeddedKafka.Builder broker = EmbeddedKafka.builder();
        Map<String, String> gatewayConfig = new java.util.HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "app.kafka.linger", System.getProperty("bench.linger-ms", "2") + "ms"));
        // -Dbench.broker.<setting>=v and -Dbench.producer.<setting>=v pass settings through, for experiments.
        System.getProperties().stringPropertyNames().forEach(name -> {
            if (name.startsWith("bench.broker.")) {
                broker.config(name.substring("bench.broker.".length()), System.getProperty(name));
            } else if (name.startsWith("bench.producer.")) {
                gatewayConfig.put("app.kafka.producer." + name.substring("bench.producer.".length()), System.getProperty(name));
            }
        });

        try (EmbeddedKafka kafka = broker.build().start()) {
            kafka.createTopics(EmbeddedKafka.pipelineTopics(Topics.RAW.name(), 3));
            gatewayConfig.put("app.kafka.bootstrap", kafka.bootstrapServers());
            GatewayApp gateway = GatewayApp.start(Config.just(ConfigSources.create(gatewayConfig)));
            WebServer trivial = WebServer.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .routing(r -> r.post("/webhook/{device_id}", (req, res) -> res.send())
                            .get("/webhook/{device_id}", (req, res) -> res.send()))
                    .build()
                    .start();
            try {
                Path script = luaScript(devices, method);
                String gatewayUrl = "http://127.0.0.1:" + gateway.port();
                String trivialUrl = "http://127.0.0.1:" + trivial.port();
                System.out.printf(Locale.ROOT, "%d rounds of %d s, wrk -t%d -c%d, %s /webhook/{device} %s, %d devices, %d cores%n",
                        rounds, seconds, threads, connections, method, method.equals("GET") ? "query string" : "JSON", devices,
                        Runtime.getRuntime().availableProcessors());

                // Warm both JITs before measuring.
                wrk(trivialUrl, script, threads, connections, warmup, "warm-up trivial");
                wrk(gatewayUrl, script, threads, connections, warmup, "warm-up gateway");
                long before = recordsInTopic(kafka);

                List<Result> trivialResults = new ArrayList<>();
                List<Result> gatewayResults = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    trivialResults.add(print(round, wrk(trivialUrl, script, threads, connections, seconds, "trivial")));
                    long roundStart = recordsInTopic(kafka);
                    Result g = print(round, wrk(gatewayUrl, script, threads, connections, seconds, "gateway"));
                    gatewayResults.add(g);
                    long added = awaitStored(kafka, roundStart, g.requests() - g.errors());
                    System.out.printf(Locale.ROOT, "round %d gateway: %d answered 2xx, %d non-2xx/errors; %d records added to %s%n",
                            round, g.requests() - g.errors(), g.errors(), added, Topics.RAW.name());
                    if (added < g.requests() - g.errors()) {
                        throw new IllegalStateException("round " + round + ": " + (g.requests() - g.errors())
                                + " readings acknowledged with 2xx but only " + added + " records on " + Topics.RAW.name());
                    }
                }
                long stored = recordsInTopic(kafka) - before;

                Result t = median(trivialResults);
                Result g = median(gatewayResults);
                System.out.println();
                System.out.printf(Locale.ROOT, "%-8s %10s %9s %9s %12s%n", "median", "req/s", "p50 ms", "p99 ms", "CPU us/req");
                System.out.printf(Locale.ROOT, "%-8s %10.0f %9.2f %9.2f %12.1f%n", "trivial", t.rps(), t.p50Ms(), t.p99Ms(), t.cpuMicrosPerRequest());
                System.out.printf(Locale.ROOT, "%-8s %10.0f %9.2f %9.2f %12.1f%n", "gateway", g.rps(), g.p50Ms(), g.p99Ms(), g.cpuMicrosPerRequest());
                System.out.printf(Locale.ROOT, "ratio gateway/trivial: %.1f%% (target >= 60%%)%n", 100.0 * g.rps() / t.rps());
                System.out.println("load average at the end (other processes compete for the same cores): " + loadAverage());
                long answered = gatewayResults.stream().mapToLong(r -> r.requests() - r.errors()).sum();
                long errors = gatewayResults.stream().mapToLong(Result::errors).sum();
                System.out.printf(Locale.ROOT, "gateway: %d answered 2xx, %d non-2xx/errors; %d records added to %s%n",
                        answered, errors, stored, Topics.RAW.name());
            } finally {
                trivial.stop();
                gateway.close();
            }
        }
    }

    private static Result print(int round, Result r) {
        System.out.printf(Locale.ROOT, "round %d %-8s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms  JVM CPU %5.1f us/req  (%d requests, %d errors)%n",
                round, r.target(), r.rps(), r.p50Ms(), r.p99Ms(), r.cpuMicrosPerRequest(), r.requests(), r.errors());
        return r;
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(Result::rps));
        return sorted.get(sorted.size() / 2);
    }

    /** Cycles through device paths so records spread over partitions as real devices would. */
    private static Path luaScript(int devices, String method) throws IOException {
        String request = method.equals("GET")
                ? "wrk.format(\"GET\", \"/webhook/bench-\" .. d .. \"?power=3612.4&voltage=230.1&current=15.71&energy=152334.8\")"
                : "wrk.format(\"POST\", \"/webhook/bench-\" .. d, {[\"Content-Type\"] = \"application/json\"}, \""
                        + BODY.replace("\"", "\\\"") + "\")";
        String lua = """
                local reqs = {}
                local i = 0
                init = function(args)
                  for d = 1, %d do
                    reqs[d] = %s
                  end
                end
                request = function()
                  i = i %% #reqs + 1
                  return reqs[i]
                end
                """.formatted(devices, request);
        Path file = Files.createTempFile("wattstream-bench-", ".lua");
        Files.writeString(file, lua, StandardCharsets.UTF_8);
        file.toFile().deleteOnExit();
        return file;
    }

    private static Result wrk(String baseUrl, Path script, int threads, int connections, int seconds, String target)
            throws IOException, InterruptedException {
        long cpuBefore = jvmCpuNanos();
        long[] ticksBefore = userSysTicks();
        String out = WrkProcess.run(seconds, "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), baseUrl);
        long cpu = jvmCpuNanos() - cpuBefore;
        long[] ticksAfter = userSysTicks();
        long user = ticksAfter[0] - ticksBefore[0];
        long sys = ticksAfter[1] - ticksBefore[1];
        if (user + sys > 0) {
            System.out.printf(Locale.ROOT, "  (%s: JVM CPU %.0f%% user, %.0f%% kernel)%n", target,
                    100.0 * user / (user + sys), 100.0 * sys / (user + sys));
        }
        long requests = (long) number(out, "(\\d+) requests in");
        return new Result(target,
                number(out, "Requests/sec:\\s+([\\d.]+)"),
                latencyMs(out, "50%"),
                latencyMs(out, "99%"),
                requests,
                (long) optionalNumber(out, "Non-2xx or 3xx responses: (\\d+)") + socketErrors(out),
                cpu / 1000.0 / Math.max(1, requests));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** utime and stime of this process from /proc (Linux); zeros elsewhere. */
    private static long[] userSysTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long jvmCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** wrk: {@code Socket errors: connect 0, read 0, write 0, timeout 0}, printed only when there are any. */
    private static long socketErrors(String out) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        long sum = 0;
        if (m.find()) {
            for (int g = 1; g <= 4; g++) {
                sum += Long.parseLong(m.group(g));
            }
        }
        return sum;
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no '" + regex + "' in wrk output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double optionalNumber(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** wrk prints latencies like {@code 50%  812.00us}, {@code 99%   3.21ms} or {@code 1.02s}. */
    private static double latencyMs(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    /**
     * Records added since {@code before}, once they reach {@code expected} or stop growing: a request
     * wrk stopped waiting for may still be acknowledged by the broker a moment after the round.
     */
    private static long awaitStored(EmbeddedKafka kafka, long before, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        while (true) {
            long added = recordsInTopic(kafka) - before;
            if (added >= expected || added == last || System.nanoTime() > deadline) {
                return added;
            }
            last = added;
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    static long recordsInTopic(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            var partitions = admin.describeTopics(List.of(Topics.RAW.name())).allTopicNames().get()
                    .get(Topics.RAW.name()).partitions();
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(Topics.RAW.name(), p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    private GatewayBench() {
    }
}
