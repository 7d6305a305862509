package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Proves the pipeline's promise for the readings a {@link Load} got acknowledged: each is in
 * {@code measurement} exactly once with its values and on {@code shelly.readings} exactly once, the
 * 1-minute aggregates equal what the stored readings give, and the alert episodes are exactly those the
 * stored readings of the alert device imply.
 */
final class Checker implements AutoCloseable {

    private static final double EPS = 1e-6;

    private final Supplier<DataSource> db;
    private final String bootstrap;
    private final String devicePrefix;
    private final PrintStream out;
    private final Map<String, Integer> onTopic = new HashMap<>();
    private final Map<String, Integer> alertMessages = new HashMap<>();
    private KafkaConsumer<String, String> consumer;

    /** Counts of one check, printed and asserted. */
    record Counts(String phase, int accepted, int stored, int duplicates, int missing, int wrongValues,
                  int onTopic, int topicDuplicates, int missingOnTopic, int unacknowledgedStored,
                  int windowsChecked, int windowMismatches, int windowsMissing,
                  int alertEpisodesExpected, int alertEpisodesStored, int alertMismatches, int alertMessagesDoubled) {

        boolean ok() {
            return stored == accepted && duplicates == 0 && missing == 0 && wrongValues == 0 && topicDuplicates == 0
                    && missingOnTopic == 0 && windowMismatches == 0 && windowsMissing == 0 && alertMismatches == 0
                    && alertMessagesDoubled == 0 && alertEpisodesStored == alertEpisodesExpected;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "[%s] accepted=%d stored=%d duplicates=%d missing=%d wrong_values=%d"
                            + " | shelly.readings: present=%d duplicates=%d missing=%d | stored_but_not_acknowledged=%d"
                            + " | 1m windows: checked=%d mismatched=%d missing=%d"
                            + " | alerts: expected=%d stored=%d mismatched=%d doubled_messages=%d",
                    phase, accepted, stored, duplicates, missing, wrongValues, onTopic, topicDuplicates, missingOnTopic,
                    unacknowledgedStored, windowsChecked, windowMismatches, windowsMissing, alertEpisodesExpected,
                    alertEpisodesStored, alertMismatches, alertMessagesDoubled);
        }
    }

    Checker(Supplier<DataSource> db, String bootstrap, String devicePrefix, PrintStream out) {
        this.db = db;
        this.bootstrap = bootstrap;
        this.devicePrefix = devicePrefix;
        this.out = out;
    }

    /**
     * Waits (bounded) until every acknowledged reading is stored and the aggregates and alerts have
     * caught up, then counts everything, prints the counts, and returns them.
     */
    Counts check(String phase, Load load, String alertDevice, Duration timeout) {
        List<Accepted> accepted = load.accepted();
        long deadline = System.nanoTime() + timeout.toNanos();
        Counts c = count(phase, load, accepted, alertDevice);
        while (!c.ok() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
            c = count(phase, load, accepted, alertDevice);
        }
        out.println("RELIABILITY " + c + " | http: " + load.statusSummary());
        return c;
    }

    /** {@link #check}, then asserts every promise: exactly once, with its values, aggregates and alerts matching. */
    Counts assertHolds(String phase, Load load, Duration timeout) {
        Counts c = check(phase, load, load.alertDevice(), timeout);
        assertThat(c.accepted()).as("readings acknowledged").isPositive();
        assertThat(c.duplicates()).as("acknowledged twice: " + c).isZero();
        assertThat(c.missing()).as("acknowledged but not stored: " + c).isZero();
        assertThat(c.stored()).as(c.toString()).isEqualTo(c.accepted());
        assertThat(c.wrongValues()).as("stored with other values: " + c).isZero();
        assertThat(c.missingOnTopic()).as("acknowledged but not on shelly.readings: " + c).isZero();
        assertThat(c.topicDuplicates()).as("twice on shelly.readings: " + c).isZero();
        assertThat(c.windowMismatches()).as("1-minute aggregates differing from the stored readings: " + c).isZero();
        assertThat(c.windowsMissing()).as("closed 1-minute windows missing: " + c).isZero();
        assertThat(c.alertEpisodesExpected()).as("alert episodes: " + c).isPositive();
        assertThat(c.alertMismatches()).as("alerts lost or doubled: " + c).isZero();
        assertThat(c.alertMessagesDoubled()).as("identical alert messages on shelly.alerts: " + c).isZero();
        return c;
    }

    private Counts count(String phase, Load load, List<Accepted> accepted, String alertDevice) {
        Map<String, Accepted> expected = new HashMap<>();
        int duplicates = 0;
        for (Accepted a : accepted) {
            if (expected.put(a.key(), a) != null) {
                duplicates++; // two acknowledgements for one identity: one of them would be lost
            }
        }
        Map<String, double[]> rows = storedRows();
        int stored = 0;
        int missing = 0;
        int wrong = 0;
        for (Accepted a : expected.values()) {
            double[] row = rows.get(a.key());
            if (row == null) {
                missing++;
                continue;
            }
            stored++;
            if (differs(a.power(), row[0]) || differs(a.voltage(), row[1]) || differs(a.current(), row[2])
                    || differs(a.energy(), row[3])) {
                wrong++;
            }
        }
        // Informational: a reading answered 503 may still have reached Kafka (the producer's last retry
        // raced the answer), and the client's retry is then a second reading; a snapshot taken now also
        // covers readings acknowledged after the expected list was taken.
        Set<String> everAcknowledged = new HashSet<>();
        load.accepted().forEach(a -> everAcknowledged.add(a.key()));
        int unacknowledged = (int) rows.keySet().stream().filter(k -> !everAcknowledged.contains(k)).count();

        pollTopics();
        int topicDuplicates = (int) onTopic.values().stream().filter(n -> n > 1).count();
        int missingOnTopic = (int) expected.keySet().stream().filter(k -> !onTopic.containsKey(k)).count();
        int doubledAlerts = (int) alertMessages.values().stream().filter(n -> n > 1).count();

        int[] windows = windows();
        int[] alerts = alerts(alertDevice);
        return new Counts(phase, expected.size() + duplicates, stored, duplicates, missing, wrong, onTopic.size(),
                topicDuplicates, missingOnTopic, unacknowledged, windows[0], windows[1], windows[2], alerts[0], alerts[1],
                alerts[2], doubledAlerts);
    }

    private static boolean differs(Double expected, double actual) {
        return expected != null && Math.abs(expected - actual) > EPS;
    }

    private Map<String, double[]> storedRows() {
        Map<String, double[]> rows = new HashMap<>();
        query("select device_id, \"timestamp\", power, voltage, current, energy from measurement where device_id like ?",
                rs -> rows.put(Accepted.key(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()),
                        new double[] {rs.getDouble(3), rs.getDouble(4), rs.getDouble(5), rs.getDouble(6)}));
        return rows;
    }

    /**
     * Every stored 1-minute aggregate against SQL over the stored readings that reached it in time (a
     * reading marked {@code late_1m} is stored but not in its closed window), and every window that must
     * be closed by now (its end plus the 30 s grace well past) present.
     */
    private int[] windows() {
        int[] checked = {0};
        int[] mismatched = {0};
        query("""
                select w.count, a.n, w.power_min, a.mn, w.power_max, a.mx, w.power_avg, a.av, w.voltage_avg, a.va,
                       w.current_avg, a.ca, w.energy_wh, a.e
                from measurement_1m w
                cross join lateral (select count(*) n, min(power) mn, max(power) mx, avg(power) av, avg(voltage) va,
                                           avg(current) ca, coalesce(sum(energy_delta_wh), 0) e
                                    from measurement m
                                    where m.device_id = w.device_id and m."timestamp" >= w.window_start
                                      and m."timestamp" < w.window_end and not m.late_1m) a
                where w.device_id like ?""", rs -> {
            checked[0]++;
            boolean same = rs.getLong(1) == rs.getLong(2);
            for (int i = 3; i <= 11; i += 2) {
                same &= Math.abs(rs.getDouble(i) - rs.getDouble(i + 1)) < 1e-6 * Math.max(1, Math.abs(rs.getDouble(i)));
            }
            same &= Math.abs(rs.getDouble(13) - rs.getDouble(14)) < 1e-3;
            if (!same) {
                mismatched[0]++;
            }
        });
        int[] missing = {0};
        query("""
                select count(*) from (
                  select distinct device_id, date_trunc('minute', "timestamp") ws from measurement
                  where device_id like ? and "timestamp" < date_trunc('minute', now()) - interval '2 minutes') m
                where not exists (select 1 from measurement_1m w where w.device_id = m.device_id and w.window_start = m.ws)
                """, rs -> missing[0] = rs.getInt(1));
        return new int[] {checked[0], mismatched[0], missing[0]};
    }

    /**
     * Replays the alert rule (RAISED above the threshold, CLEARED below it less 5 %) over the alert
     * device's stored readings and compares the episodes with the {@code alert} table.
     */
    private int[] alerts(String device) {
        List<Object[]> readings = new ArrayList<>();
        query("select \"timestamp\", power from measurement where device_id = ? order by \"timestamp\"",
                device, rs -> readings.add(new Object[] {rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getDouble(2)}));
        Map<Instant, String> expected = new TreeMap<>();
        Instant open = null;
        for (Object[] r : readings) {
            double p = (double) r[1];
            if (open == null && p > Load.THRESHOLD_W) {
                open = (Instant) r[0];
                expected.put(open, "RAISED");
            } else if (open != null && p < Load.THRESHOLD_W * 0.95) {
                expected.put(open, "CLEARED");
                open = null;
            }
        }
        Map<Instant, String> stored = new TreeMap<>();
        query("select started_at, state from alert where device_id = ? and kind = 'POWER_OVER_THRESHOLD'", device,
                rs -> stored.put(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2)));
        Set<Instant> all = new HashSet<>(expected.keySet());
        all.addAll(stored.keySet());
        int mismatched = (int) all.stream().filter(t -> !java.util.Objects.equals(expected.get(t), stored.get(t))).count();
        return new int[] {expected.size(), stored.size(), mismatched};
    }

    /** Reads what is new on shelly.readings and shelly.alerts (committed records only). */
    private void pollTopics() {
        if (consumer == null) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                    new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of("shelly.readings", "shelly.alerts")) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
        }
        try {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || !r.key().startsWith(devicePrefix)) {
                        continue;
                    }
                    if (r.topic().equals("shelly.readings")) {
                        JsonNode v = Json.MAPPER.readTree(r.value());
                        onTopic.merge(Accepted.key(v.get("device_id").asText(), Instant.parse(v.get("timestamp").asText())),
                                1, Integer::sum);
                    } else {
                        alertMessages.merge(r.value(), 1, Integer::sum);
                    }
                }
            }
        } catch (IOException | org.apache.kafka.common.KafkaException e) {
            out.println("topic check deferred: " + e);
        }
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowHandler handler) {
        query(sql, devicePrefix + "%", handler);
    }

    private void query(String sql, String param, RowHandler handler) {
        try (Connection c = db.get().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
