package io.wattstream.bench.sink;

import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.embedded.harness.CpuClock;
import io.wattstream.embedded.harness.Infrastructure;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.embedded.harness.SinkInstaller;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.Reading;
import io.wattstream.model.Topics;
import io.wattstream.sink.ConnectorFiles;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Rows/s into {@code measurement} three ways, on the same PostgreSQL (durable: fsync on) in one run:
 * <ol>
 *   <li>the sink: the measurement connector file applied and RUNNING, then the readings sent to
 *       {@code shelly.readings}; timed from the first record sent to the last row present;</li>
 *   <li>{@code COPY} of the same rows into a copy of the table (same keys and indexes): the ceiling;</li>
 *   <li>single-row {@code INSERT}s with autocommit (the prototype's pattern), on a subset, extrapolated;
 *       and, for information, the same with a new connection per row.</li>
 * </ol>
 * Settings: {@code -Dbench.rows} (200000), {@code -Dbench.insertRows} (20000), {@code -Dbench.devices} (50),
 * {@code -Dbench.partitions} (3, as the pipeline), {@code -Dbench.rounds} (1; more repeat sink, COPY and INSERT in
 * turn and print each round),
 * {@code -Dbench.set.<connector key>=<value>} to try a connector setting.
 */
public final class SinkBench {

    private static final String CONNECTOR = "wattstream-sink-measurement";
    private static final Duration SINK_TIMEOUT = Duration.ofMinutes(10);
    /** {@code count(*)} costs PostgreSQL CPU too, which the benchmark measures. */
    private static final Duration COUNT_EVERY = Duration.ofMillis(200);
    private static final String COLUMNS = "device_id, \"timestamp\", power, voltage, current, energy, received_at, source, "
            + "freq, pf, temperature_c, output, energy_delta_wh, counter_reset, over_threshold, device_name, site";

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        int insertRows = Math.min(rows, Integer.getInteger("bench.insertRows", 20_000));
        int devices = Integer.getInteger("bench.devices", 50);
        Map<String, String> overrides = new HashMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("bench.set.")) {
                overrides.put(k.toString().substring("bench.set.".length()), v.toString());
            }
        });

        int partitions = Integer.getInteger("bench.partitions", 3);
        // -Dbench.rounds=N: N rounds of sink, COPY, INSERT in turn on the same worker and database (the benchmark
        // suite's ratio of medians); the detailed lines below describe round 1.
        int rounds = Integer.getInteger("bench.rounds", 1);
        List<double[]> perRound = new ArrayList<>();
        List<Reading> readings = readings(rows, devices);
        List<byte[]> values = new ArrayList<>(rows);
        for (Reading r : readings) {
            values.add(Json.MAPPER.writeValueAsBytes(r));
        }
        Path pgDir = Dirs.temp("wattstream-bench-pg-");
        try (Infrastructure infra = Infrastructure.builder().postgres(b -> b.dataDir(pgDir)).partitions(partitions).start()) {
            EmbeddedKafka kafka = infra.kafka();
            EmbeddedPostgres pg = infra.postgres();

            Map<String, String> config = new HashMap<>(ConnectorFiles.load(CONNECTOR));
            config.putAll(overrides);
            CpuClock cpu = new CpuClock(pgDir);
            double sinkRate;
            long sinkCpu;
            long sinkPgCpu;
            long produceMs;
            long totalMs;
            int tasks;
            double copyRate;
            long copyCpu;
            double insertRate;
            long insertCpu;
            try (EmbeddedConnect connect = SinkInstaller.worker(kafka, pg).groupId("bench-" + UUID.randomUUID()).build().start()) {
                connect.apply(CONNECTOR, config, Duration.ofSeconds(120));
                tasks = Integer.parseInt(config.getOrDefault("tasks.max", "1"));
                // The sink is idle and waiting, as in the pipeline; the clock runs from the first record sent.
                long cpu0 = cpu.nanos();
                long pgCpu0 = cpu.postgresNanos();
                long t0 = System.nanoTime();
                produce(kafka, readings, values);
                produceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long[] stored = {0};
                Poll.until(() -> rows + " rows stored by the sink (" + stored[0] + " so far): " + connect.status(CONNECTOR),
                        SINK_TIMEOUT, COUNT_EVERY, () -> (stored[0] = count(pg, "measurement")) >= rows);
                long end = System.nanoTime();
                sinkCpu = cpu.nanos() - cpu0;
                sinkPgCpu = cpu.postgresNanos() - pgCpu0;
                totalMs = TimeUnit.NANOSECONDS.toMillis(end - t0);
                sinkRate = rows / ((end - t0) / 1e9);

                exec(pg, "create table measurement_copy (like measurement including all)");
                long copyCpu0 = cpu.nanos();
                long c0 = System.nanoTime();
                copy(pg, readings);
                copyRate = rows / ((System.nanoTime() - c0) / 1e9);
                copyCpu = cpu.nanos() - copyCpu0;
                check(pg, "measurement_copy", rows);

                exec(pg, "create table measurement_insert (like measurement including all)");
                long insertCpu0 = cpu.nanos();
                long i0 = System.nanoTime();
                insertOneByOne(pg, readings.subList(0, insertRows));
                insertRate = insertRows / ((System.nanoTime() - i0) / 1e9);
                insertCpu = cpu.nanos() - insertCpu0;
                check(pg, "measurement_insert", insertRows);
                perRound.add(new double[] {sinkRate, copyRate, insertRate});

                for (int round = 2; round <= rounds; round++) {
                    // Same rows again into emptied tables; the connector resumes after the records it already stored.
                    exec(pg, "truncate measurement");
                    long s0 = System.nanoTime();
                    produce(kafka, readings, values);
                    int r = round;
                    Poll.until(() -> "round " + r + ": " + rows + " rows stored by the sink", SINK_TIMEOUT, COUNT_EVERY,
                            () -> count(pg, "measurement") >= rows);
                    double s = rows / ((System.nanoTime() - s0) / 1e9);
                    exec(pg, "truncate measurement_copy");
                    long rc0 = System.nanoTime();
                    copy(pg, readings);
                    double c = rows / ((System.nanoTime() - rc0) / 1e9);
                    check(pg, "measurement_copy", rows);
                    exec(pg, "truncate measurement_insert");
                    long ri0 = System.nanoTime();
                    insertOneByOne(pg, readings.subList(0, insertRows));
                    double i = insertRows / ((System.nanoTime() - ri0) / 1e9);
                    check(pg, "measurement_insert", insertRows);
                    perRound.add(new double[] {s, c, i});
                }
            }

            int connectRows = Math.min(insertRows, Integer.getInteger("bench.connectRows", 2_000));
            exec(pg, "truncate measurement_insert");
            long n0 = System.nanoTime();
            for (Reading r : readings.subList(0, connectRows)) {
                insertOneByOne(pg, List.of(r));
            }
            double connectRate = connectRows / ((System.nanoTime() - n0) / 1e9);
            check(pg, "measurement_insert", connectRows);

            System.out.printf("%nSink benchmark: %,d readings, %d devices, %d partitions, %d sink task(s), PostgreSQL 17 (fsync on), "
                    + "%d CPU cores, load average %.1f%n", rows, devices, partitions, tasks,
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (!overrides.isEmpty()) {
                System.out.println("connector overrides: " + overrides);
            }
            System.out.printf("  JDBC sink (upsert)       %,10.0f rows/s  (%,d ms from the first record sent to the last row stored; "
                    + "producing took %,d ms)%n", sinkRate, totalMs, produceMs);
            System.out.printf("  COPY                     %,10.0f rows/s%n", copyRate);
            System.out.printf("  single-row INSERT        %,10.0f rows/s  (autocommit; measured on %,d rows%s)%n", insertRate, insertRows,
                    insertRows < rows ? ", rate extrapolated to " + String.format("%,d", rows) : "");
            System.out.printf("  INSERT, new connection   %,10.0f rows/s  (one connection per row, as a web request with "
                    + "Django's default CONN_MAX_AGE=0; measured on %,d rows; for information)%n", connectRate, connectRows);
            double sinkPerCpu = rows / (sinkCpu / 1e9);
            double copyPerCpu = rows / (copyCpu / 1e9);
            double insertPerCpu = insertRows / (insertCpu / 1e9);
            System.out.printf("  CPU cost (JVM + PostgreSQL, load-independent): sink %,.0f rows per CPU-second (includes the broker and "
                    + "the producer in this JVM), COPY %,.0f, single-row INSERT %,.0f%n", sinkPerCpu, copyPerCpu, insertPerCpu);
            System.out.printf("  sink CPU per row: %.0f us, of which PostgreSQL %.0f us; COPY %.1f us; single-row INSERT %.0f us%n",
                    sinkCpu / 1e3 / rows, sinkPgCpu / 1e3 / rows, copyCpu / 1e3 / rows, insertCpu / 1e3 / insertRows);
            System.out.printf("  by CPU cost: sink = %.0f %% of COPY, %.1fx single-row INSERT%n",
                    sinkPerCpu / copyPerCpu * 100, sinkPerCpu / insertPerCpu);
            for (int r = 0; r < perRound.size(); r++) {
                double[] x = perRound.get(r);
                System.out.printf("round %d: JDBC sink %,.0f rows/s, COPY %,.0f rows/s, single-row INSERT %,.0f rows/s%n",
                        r + 1, x[0], x[1], x[2]);
            }
            double ofCopy = sinkRate / copyRate;
            double overInsert = sinkRate / insertRate;
            System.out.printf("  by wall clock: sink = %.0f %% of COPY (target >= 25 %%: %s), %.1fx single-row INSERT (target >= 50x: %s)%n",
                    ofCopy * 100, ofCopy >= 0.25 ? "met" : "NOT met", overInsert, overInsert >= 50 ? "met" : "NOT met");
        } finally {
            Dirs.deleteRecursively(pgDir);
        }
    }

    private static List<Reading> readings(int rows, int devices) {
        Instant t0 = Instant.parse("2026-11-20T00:00:00Z");
        List<Reading> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            Instant ts = t0.plusNanos(i * 1_000_000L + 123_000L);
            double p = 1000 + (i % 997);
            out.add(Reading.builder().deviceId("bench-" + (i % devices)).power(p).voltage(230 + (i % 7) * 0.25)
                    .current(p / 230).energy(10_000 + i * 0.5).timestamp(ts).receivedAt(ts.plusNanos(250_000))
                    .source(RawReading.Source.FLAT_POST).freq(50.0).pf(0.97).temperatureC(35.5).output(true)
                    .energyDeltaWh(0.5).overThreshold(p > 1900).deviceName("Bench " + (i % devices)).site("lab").build());
        }
        return out;
    }

    private static void produce(EmbeddedKafka kafka, List<Reading> readings, List<byte[]> values) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.BATCH_SIZE_CONFIG, "262144",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < readings.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.READINGS.name(), readings.get(i).deviceId(), values.get(i)));
            }
            producer.flush();
        }
    }

    private static void copy(EmbeddedPostgres pg, List<Reading> readings) throws Exception {
        StringBuilder csv = new StringBuilder(readings.size() * 200);
        for (Reading r : readings) {
            csv.append(r.deviceId()).append(',').append(r.timestamp()).append(',').append(r.power()).append(',')
                    .append(r.voltage()).append(',').append(r.current()).append(',').append(r.energy()).append(',')
                    .append(r.receivedAt()).append(',').append(r.source()).append(',').append(r.freq()).append(',')
                    .append(r.pf()).append(',').append(r.temperatureC()).append(',').append(r.output()).append(',')
                    .append(r.energyDeltaWh()).append(',').append(r.counterReset()).append(',').append(r.overThreshold())
                    .append(',').append(r.deviceName()).append(',').append(r.site()).append('\n');
        }
        try (Connection c = pg.dataSource().getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("copy measurement_copy (" + COLUMNS + ") from stdin with (format csv)", new StringReader(csv.toString()));
        }
    }

    private static void insertOneByOne(EmbeddedPostgres pg, List<Reading> readings) throws Exception {
        try (Connection c = pg.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("insert into measurement_insert (" + COLUMNS + ") "
                     + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(true);
            for (Reading r : readings) {
                ps.setString(1, r.deviceId());
                ps.setTimestamp(2, Timestamp.from(r.timestamp()));
                ps.setDouble(3, r.power());
                ps.setDouble(4, r.voltage());
                ps.setDouble(5, r.current());
                ps.setDouble(6, r.energy());
                ps.setTimestamp(7, Timestamp.from(r.receivedAt()));
                ps.setString(8, r.source().name());
                ps.setDouble(9, r.freq());
                ps.setDouble(10, r.pf());
                ps.setDouble(11, r.temperatureC());
                ps.setBoolean(12, r.output());
                ps.setDouble(13, r.energyDeltaWh());
                ps.setBoolean(14, r.counterReset());
                ps.setBoolean(15, r.overThreshold());
                ps.setString(16, r.deviceName());
                ps.setString(17, r.site());
                ps.executeUpdate();
            }
        }
    }

    private static long count(EmbeddedPostgres pg, String table) {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count " + table, e);
        }
    }

    private static void check(EmbeddedPostgres pg, String table, long expected) throws Exception {
        long n = count(pg, table);
        if (n != expected) {
            throw new IllegalStateException(table + " holds " + n + " rows, expected " + expected);
        }
    }

    private static void exec(EmbeddedPostgres pg, String sql) throws Exception {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private SinkBench() {
    }
}
