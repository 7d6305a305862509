package io.wattstream.embedded.harness;

import io.wattstream.embedded.EmbeddedConnect;
import io.wattstream.embedded.EmbeddedKafka;
import io.wattstream.embedded.EmbeddedPostgres;
import io.wattstream.model.Topics;
import io.wattstream.schema.Migrations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The parts every Wattstream stack stands on, started one way for the local stack, the tests and the
 * benchmarks: PostgreSQL with the schema migrated, a broker with every pipeline topic and, if asked
 * for, a Connect worker with every sink connector RUNNING. {@link #close()} stops them in reverse order.
 *
 * <p>The pieces are static methods too, for a caller that starts the parts one at a time.
 *
 * @param connect the Connect worker, null when started without {@link Builder#sink}
 */
public record Infrastructure(EmbeddedPostgres postgres, EmbeddedKafka kafka, EmbeddedConnect connect)
        implements AutoCloseable {

    /** How long a part may take to start. */
    public static final Duration WAIT = Duration.ofSeconds(90);

    public static Builder builder() {
        return new Builder();
    }

    /** Starts PostgreSQL and applies the migrations; a server whose migrations fail is stopped. */
    public static EmbeddedPostgres postgres(EmbeddedPostgres.Builder settings) {
        return prepared(settings.build().start(), pg -> Migrations.apply(pg.dataSource()));
    }

    /** Starts a broker and creates every pipeline topic, the raw one under the given name. */
    public static EmbeddedKafka kafka(EmbeddedKafka.Builder settings, String rawTopic, int partitions) {
        return prepared(settings.build().start(), kafka -> kafka.createPipelineTopics(rawTopic, partitions));
    }

    /** Sets up a part that just started; a part whose set-up fails is stopped, so nothing outlives a failed start. */
    static <T extends AutoCloseable> T prepared(T started, Consumer<T> setUp) {
        try {
            setUp.accept(started);
            return started;
        } catch (RuntimeException e) {
            try {
                started.close();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    /** The Connect worker; only with {@link Builder#sink}. */
    @Override
    public EmbeddedConnect connect() {
        if (connect == null) {
            throw new IllegalStateException("started without the sink");
        }
        return connect;
    }

    /** Stops Connect, the broker, then PostgreSQL; temporary data goes with them. */
    @Override
    public void close() {
        if (connect != null) {
            connect.close();
        }
        kafka.close();
        postgres.close();
    }

    /** Settings for {@link Infrastructure}. */
    public static final class Builder {
        private Path dataDir;
        private Consumer<EmbeddedPostgres.Builder> postgres = b -> { };
        private Optional<Consumer<EmbeddedConnect.Builder>> sink = Optional.empty();
        private String rawTopic = Topics.RAW.name();
        private int partitions = Topics.DEFAULT_PARTITIONS;

        private Builder() {
        }

        /** PostgreSQL's and the broker's data under {@code postgres/} and {@code kafka/} here, kept; else temporary. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** More PostgreSQL settings (port, credentials, data directory, shutdown hook). */
        public Builder postgres(Consumer<EmbeddedPostgres.Builder> settings) {
            this.postgres = settings;
            return this;
        }

        /** The raw topic's name (default {@code shelly.readings.raw}). */
        public Builder rawTopic(String name) {
            this.rawTopic = name;
            return this;
        }

        /** Partitions of every pipeline topic (default {@link Topics#DEFAULT_PARTITIONS}). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** With a Connect worker (more settings: port, group id) and every sink connector RUNNING. */
        public Builder sink(Consumer<EmbeddedConnect.Builder> worker) {
            this.sink = Optional.of(worker);
            return this;
        }

        /** Starts the parts; on failure stops those already started and rethrows. */
        public Infrastructure start() {
            EmbeddedPostgres.Builder pgSettings = EmbeddedPostgres.builder();
            EmbeddedKafka.Builder kafkaSettings = EmbeddedKafka.builder();
            if (dataDir != null) {
                pgSettings.dataDir(dataDir.resolve("postgres"));
                kafkaSettings.dataDir(dataDir.resolve("kafka"));
            }
            postgres.accept(pgSettings);
            EmbeddedPostgres pg = Infrastructure.postgres(pgSettings);
            EmbeddedKafka broker = null;
            try {
                broker = Infrastructure.kafka(kafkaSettings, rawTopic, partitions);
                EmbeddedConnect connect = null;
                if (sink.isPresent()) {
                    EmbeddedConnect.Builder worker = SinkInstaller.worker(broker, pg);
                    sink.get().accept(worker);
                    connect = SinkInstaller.start(worker, WAIT);
                }
                return new Infrastructure(pg, broker, connect);
            } catch (RuntimeException e) {
                if (broker != null) {
                    broker.close();
                }
                pg.close();
                throw e;
            }
        }
    }
}
