package io.wattstream.bench.streams;

import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.EmbeddedKafka;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The framework's ceiling on this machine: the same number of 350-byte records through a Kafka Streams
 * topology that only copies them (no parsing, no state), with the given processing guarantee. Puts
 * {@link StreamsBenchmark}'s figures in proportion.
 *
 * <p>Arguments: {@code [records=300000] [guarantee=exactly_once_v2|at_least_once]}.
 */
public final class PassThroughCeiling {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        String guarantee = args.length > 1 ? args[1] : StreamsConfig.EXACTLY_ONCE_V2;
        Path stateDir = Dirs.temp("wattstream-passthrough-");
        try (EmbeddedKafka kafka = EmbeddedKafka.startEphemeral()) {
            kafka.createTopics(List.of(new NewTopic("ceiling.in", 3, (short) 1), new NewTopic("ceiling.out", 3, (short) 1)));
            byte[] value = new byte[350];
            Arrays.fill(value, (byte) 'x');
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                    new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>("ceiling.in", "device-" + (i % 50), value));
                }
            }
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("ceiling.in", Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    .to("ceiling.out", Produced.with(Serdes.String(), Serdes.ByteArray()));
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "wattstream-ceiling");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            try (KafkaStreams streams = new KafkaStreams(builder.build(), p); Admin admin = kafka.admin()) {
                streams.start();
                while (committed(admin) < records) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            System.out.printf("pass-through (%s, commit every 100 ms): %,.0f records/s, %,.0f records per CPU-second of the JVM%n",
                    guarantee, records / secs, records / cpu);
        } finally {
            Dirs.deleteRecursively(stateDir);
        }
    }

    private static long committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets("wattstream-ceiling").partitionsToOffsetAndMetadata().get()
                .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private PassThroughCeiling() {
    }
}
