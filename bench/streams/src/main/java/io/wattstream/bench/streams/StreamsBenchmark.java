package io.wattstream.bench.streams;

import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.model.JsonSerde;
import io.wattstream.model.RawReading;
import io.wattstream.model.Tariff;
import io.wattstream.model.TariffSchedule;
import io.wattstream.model.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import io.wattstream.streams.app.StreamsProperties;
import io.wattstream.streams.topology.StreamsTopology;
import io.wattstream.streams.topology.TopologySettings;

/**
 * Throughput of the stream processor (exactly-once) against a plain consumer of the same topic, on an
 * embedded broker: preloads realistic readings, times a plain consumer reading them all, then the
 * topology from a fresh application id until its committed offsets reach the end (lag 0), then a
 * topology that only copies the same records with the same settings (the framework's ceiling here).
 * Finally measures the latency of single readings through the caught-up topology.
 *
 * <p>Arguments: {@code [records=300000] [devices=50] [partitions=3] [commit-interval-ms=100]} (100 ms is
 * the application's default, chosen for latency; a longer interval trades latency for throughput).
 * Settings: {@code -Dbench.rounds} (1; more repeat plain consumer and topology alternately, a fresh
 * application id each time), {@code -Dbench.latency} (true; false skips the latency probe),
 * {@code -Dbench.sessions} ({@code on}: the topology as it runs, with charging sessions and tariff costs
 * (a default day/night tariff prices every reading); {@code off}: without them; {@code compare}: both, off
 * then on in each round, and the figure with them as a share of the figure without).
 */
public final class StreamsBenchmark {

    private static final String RAW = "bench.readings.raw";
    /** Where the copy-only topology writes (the framework's ceiling on the same records). */
    private static final String COPY = "bench.readings.copy";
    private static final JsonSerde<RawReading> SERDE = new JsonSerde<>(RawReading.class);

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        long commitMs = args.length > 3 ? Long.parseLong(args[3]) : StreamsProperties.DEFAULT_COMMIT_INTERVAL_MS;
        // -Dbench.rounds=N repeats plain consumer / topology N times, alternating (the benchmark suite's
        // ratio of medians); -Dbench.latency=false skips the 20 s single-reading latency probe.
        int rounds = Integer.getInteger("bench.rounds", 1);
        boolean withLatency = Boolean.parseBoolean(System.getProperty("bench.latency", "true"));
        String sessions = System.getProperty("bench.sessions", "on");
        if (!List.of("on", "off", "compare").contains(sessions)) {
            throw new IllegalArgumentException("bench.sessions must be on, off or compare, got " + sessions);
        }
        Path stateDir = Dirs.temp("wattstream-bench-state-");
        try (EmbeddedKafka kafka = EmbeddedKafka.startEphemeral()) {
            kafka.createPipelineTopics(RAW, partitions);
            kafka.createTopics(List.of(new NewTopic(COPY, partitions, (short) 1)));
            String bootstrap = kafka.bootstrapServers();

            long t0 = System.nanoTime();
            preload(bootstrap, records, devices);
            publishTariff(bootstrap);
            System.out.printf("preloaded %,d readings of %d devices on %d partitions in %.1f s%n",
                    records, devices, partitions, secs(System.nanoTime() - t0));
            if (sessions.equals("compare")) {
                compareSessions(bootstrap, stateDir, records, commitMs, rounds);
                return;
            }

            double[] consumer = plainConsumer(bootstrap, records, false);
            double[] parsing = plainConsumer(bootstrap, records, true);
            double consumerRate = consumer[0];
            double parsingRate = parsing[0];
            boolean on = sessions.equals("on");
            Result streams = topology(bootstrap, stateDir, records, commitMs, withLatency, on);
            Result copy = copyOnly(bootstrap, stateDir, records, commitMs);
            List<Double> consumerRates = new ArrayList<>(List.of(consumerRate));
            List<Double> topologyRates = new ArrayList<>(List.of(streams.rate));
            List<Double> copyRates = new ArrayList<>(List.of(copy.rate));
            System.out.printf("round 1: plain consumer %,.0f records/s, topology (EOS) %,.0f records/s, copy-only (EOS) %,.0f records/s%n",
                    consumerRate, streams.rate, copy.rate);
            for (int round = 2; round <= rounds; round++) {
                double c = plainConsumer(bootstrap, records, false)[0];
                double t = topology(bootstrap, stateDir, records, commitMs, false, on).rate;
                double k = copyOnly(bootstrap, stateDir, records, commitMs).rate;
                consumerRates.add(c);
                topologyRates.add(t);
                copyRates.add(k);
                System.out.printf("round %d: plain consumer %,.0f records/s, topology (EOS) %,.0f records/s, copy-only (EOS) %,.0f records/s%n",
                        round, c, t, k);
            }

            System.out.println();
            System.out.printf("plain consumer      : %,10.0f records/s  (bytes only)%n", consumerRate);
            System.out.printf("consumer + JSON     : %,10.0f records/s  (parsing each value as RawReading)%n", parsingRate);
            System.out.printf("topology (EOS, commit every %d ms, sessions and costs %s): %,10.0f records/s  (%.1f s from start to lag 0, incl. %.1f s start-up)%n",
                    commitMs, sessions, streams.rate, streams.totalSeconds, streams.startupSeconds);
            System.out.printf("topology processing : %,10.0f records/s  (after start-up)%n", streams.processingRate);
            System.out.printf("copy-only (EOS)     : %,10.0f records/s  (the same records through a topology that only copies them)%n",
                    copy.rate);
            System.out.printf("ratio               : %10.1f %%  of the plain consumer (target >= 40 %%); %.1f %% of consumer + JSON%n",
                    100 * streams.rate / consumerRate, 100 * streams.rate / parsingRate);
            System.out.printf("ceiling ratio       : %10.1f %%  of the copy-only topology (target >= 60 %%); per CPU-second %.1f %%%n",
                    100 * streams.rate / copy.rate, 100 * streams.cpuRate / copy.cpuRate);
            System.out.printf("per CPU-second of the whole JVM (broker included; robust to a busy machine): plain consumer %,.0f, "
                    + "consumer + JSON %,.0f, topology %,.0f records/CPU-s -> ratio %.1f %%%n",
                    consumer[1], parsing[1], streams.cpuRate, 100 * streams.cpuRate / consumer[1]);
            if (withLatency) {
                System.out.printf("latency raw -> shelly.readings (read_committed, 200 single readings): p50 %d ms, p95 %d ms, max %d ms%n",
                        streams.latencies[0], streams.latencies[1], streams.latencies[2]);
            }
            if (rounds > 1) {
                System.out.printf("median of %d rounds: plain consumer %,.0f records/s, topology (EOS) %,.0f records/s, ratio %.1f %%; "
                                + "copy-only (EOS) %,.0f records/s, ceiling ratio %.1f %%%n",
                        rounds, median(consumerRates), median(topologyRates), 100 * median(topologyRates) / median(consumerRates),
                        median(copyRates), 100 * median(topologyRates) / median(copyRates));
            }
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    private record Result(double rate, double totalSeconds, double startupSeconds, double processingRate, double cpuRate,
                          long[] latencies) {
    }

    /** Readings as the gateway writes them: per-device 1 s cadence, varying loads, some partials and device times. */
    private static void preload(String bootstrap, int records, int devices) {
        Random rnd = new Random(42);
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofSeconds(records / devices + 600));
        double[] energy = new double[devices];
        double[] base = new double[devices];
        for (int d = 0; d < devices; d++) {
            energy[d] = 10_000 + rnd.nextInt(100_000);
            base[d] = 500 + rnd.nextInt(4_000);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                int d = i % devices;
                long second = i / devices;
                String id = String.format("shellypro1pm-bench%04d", d);
                Instant received = start.plusSeconds(second).plusNanos((d * 1_000L) + 1_000);
                double power = Math.max(0, base[d] * (1 + 0.4 * Math.sin(second / 60.0 + d)) + rnd.nextGaussian() * 50);
                energy[d] += power / 3600.0;
                double voltage = 230 + rnd.nextGaussian();
                boolean deviceTime = d % 2 == 0;
                Instant ts = deviceTime ? received.minusMillis(200).truncatedTo(ChronoUnit.MILLIS) : received;
                RawReading r;
                if (second > 0 && rnd.nextInt(20) == 0) {
                    r = RawReading.builder().deviceId(id).power(power).current(power / voltage).timestamp(ts)
                            .receivedAt(received).source(RawReading.Source.NOTIFY_STATUS).partial(true)
                            .deviceTime(deviceTime).build();
                } else {
                    r = RawReading.builder().deviceId(id).power(power).voltage(voltage).current(power / voltage)
                            .energy(Math.round(energy[d] * 1000) / 1000.0).timestamp(ts).receivedAt(received)
                            .source(deviceTime ? RawReading.Source.NOTIFY_FULL_STATUS : RawReading.Source.FLAT_POST)
                            .freq(50.0).pf(0.98).temperatureC(40 + rnd.nextDouble() * 10).output(true)
                            .deviceTime(deviceTime).build();
                }
                producer.send(new ProducerRecord<>(RAW, null, received.toEpochMilli(), id, SERDE.toBytes(r)));
            }
            producer.flush();
        }
    }

    private static double[] plainConsumer(String bootstrap, int records, boolean parse) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(RAW).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            long n = 0;
            long bytes = 0;
            double checksum = 0;
            while (n < records) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    n++;
                    bytes += r.value().length;
                    if (parse) {
                        checksum += SERDE.fromBytes(r.value()).receivedAt().getNano();
                    }
                }
            }
            double s = secs(System.nanoTime() - t0);
            double cpu = secs(cpuNanos() - c0);
            System.out.printf("consumer%s read %,d records (%.1f MB) in %.2f s, %.2f CPU-s%s%n", parse ? " + JSON" : "", n,
                    bytes / 1e6, s, cpu, parse ? " (checksum " + (long) checksum % 1000 + ")" : "");
            return new double[] {n / s, n / cpu};
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The topology without and with charging sessions and costs, alternately, {@code rounds} times each:
     * the medians side by side and the share the figure with them keeps of the figure without (target: at
     * least 80 %), by wall clock and per CPU-second.
     */
    private static void compareSessions(String bootstrap, Path stateDir, int records, long commitMs, int rounds)
            throws Exception {
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> offCpu = new ArrayList<>();
        List<Double> onCpu = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Result a = topology(bootstrap, stateDir, records, commitMs, false, false);
            Result b = topology(bootstrap, stateDir, records, commitMs, false, true);
            off.add(a.rate);
            on.add(b.rate);
            offCpu.add(a.cpuRate);
            onCpu.add(b.cpuRate);
            System.out.printf("round %d: sessions and costs off %,.0f records/s (%,.0f per CPU-s), on %,.0f records/s "
                    + "(%,.0f per CPU-s)%n", round, a.rate, a.cpuRate, b.rate, b.cpuRate);
        }
        System.out.println();
        System.out.printf("topology, sessions and costs off : %,10.0f records/s  %,10.0f records/CPU-s  (median of %d)%n",
                median(off), median(offCpu), rounds);
        System.out.printf("topology, sessions and costs on  : %,10.0f records/s  %,10.0f records/CPU-s  (median of %d)%n",
                median(on), median(onCpu), rounds);
        System.out.printf("with sessions and costs          : %10.1f %%  of the figure without (wall clock), %.1f %% per "
                + "CPU-second (target >= 80 %%)%n", 100 * median(on) / median(off), 100 * median(onCpu) / median(offCpu));
    }

    /** A default day/night tariff: every reading of the benchmark is priced. */
    private static void publishTariff(String bootstrap) throws Exception {
        Tariff t = new Tariff("bench-day-night", null, null, null, "EUR", "Europe/Berlin", Instant.parse("2020-01-01T00:00:00Z"),
                null, List.of(new Tariff.Zone("night", null, "00:00", "07:00", new java.math.BigDecimal("0.25")),
                        new Tariff.Zone("day", null, "07:00", "24:00", new java.math.BigDecimal("0.35"))));
        try (KafkaProducer<String, TariffSchedule> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), Topics.TARIFFS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.TARIFFS.name(), TariffSchedule.DEFAULT_SCOPE,
                    new TariffSchedule(TariffSchedule.DEFAULT_SCOPE, List.of(t)))).get();
        }
    }

    private static Result topology(String bootstrap, Path stateDir, int records, long commitMs, boolean withLatency,
                                   boolean sessions) throws Exception {
        Properties p = streamsProperties(bootstrap, stateDir, commitMs);
        p.setProperty(TopologySettings.SESSIONS_ENABLED, Boolean.toString(sessions));
        return timed(bootstrap, StreamsTopology.build(p), p, records, withLatency, "topology");
    }

    /**
     * The framework's ceiling on the same records with the same settings (exactly once, commit interval,
     * producer and cache settings): a topology that only copies each raw record to another topic.
     */
    private static Result copyOnly(String bootstrap, Path stateDir, int records, long commitMs) throws Exception {
        Properties p = streamsProperties(bootstrap, stateDir, commitMs);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(RAW, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("copy-source"))
                .to(COPY, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("copy-sink"));
        return timed(bootstrap, builder.build(p), p, records, false, "copy-only topology");
    }

    private static Properties streamsProperties(String bootstrap, Path stateDir, long commitMs) {
        Properties p = StreamsProperties.defaults();
        String appId = "wattstream-bench-" + System.nanoTime(); // fresh per round: reprocesses from the start
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.setProperty(TopologySettings.RAW_TOPIC, RAW);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitMs));
        return p;
    }

    /** Runs a topology from a fresh application id until its committed offsets reach the end of the raw topic. */
    private static Result timed(String bootstrap, Topology topology, Properties p, int records,
                                boolean withLatency, String label) throws Exception {
        String appId = p.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             KafkaStreams streams = new KafkaStreams(topology, p)) {
            Map<TopicPartition, Long> end = endOffsets(admin, RAW);
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            streams.start();
            long running = 0;
            while (true) {
                if (running == 0 && streams.state() == KafkaStreams.State.RUNNING) {
                    running = System.nanoTime();
                }
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException("Kafka Streams failed");
                }
                if (lag(admin, appId, end) == 0) {
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            long done = System.nanoTime();
            double cpu = secs(cpuNanos() - c0);
            System.out.printf("%s caught up with %,d records in %.2f s%n", label, records, secs(done - t0));
            long[] latencies = withLatency ? latency(bootstrap, streams) : new long[] {-1, -1, -1};
            double total = secs(done - t0);
            double startup = secs(running - t0);
            return new Result(records / total, total, startup, records / secs(done - running), records / cpu, latencies);
        }
    }

    /** Sends single readings at 10 per second and times each until a read_committed consumer sees its output. */
    private static long[] latency(String bootstrap, KafkaStreams streams) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.READINGS.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            List<Long> ms = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "latency-probe-" + (i % 7);
                Instant now = Instant.now();
                RawReading r = RawReading.builder().deviceId(id).power(100.0).voltage(230.0).current(0.5)
                        .energy(1000.0 + i).at(now).source(RawReading.Source.FLAT_POST).build();
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(RAW, id, SERDE.toBytes(r))).get();
                boolean seen = false;
                long deadline = sent + TimeUnit.SECONDS.toNanos(10);
                while (!seen && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(5))) {
                        if (rec.key().equals(id)) {
                            seen = true;
                        }
                    }
                }
                ms.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                TimeUnit.MILLISECONDS.sleep(100 - Math.min(100, ms.get(ms.size() - 1)));
            }
            long[] sorted = ms.stream().mapToLong(Long::longValue).sorted().toArray();
            return new long[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.95)], sorted[sorted.length - 1]};
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> spec = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            spec.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        ListOffsetsResult res = admin.listOffsets(spec);
        return res.all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static long lag(Admin admin, String group, Map<TopicPartition, Long> end) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /** CPU time of this whole JVM (broker included), to compare phases on a machine shared with other work. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    private StreamsBenchmark() {
    }
}
