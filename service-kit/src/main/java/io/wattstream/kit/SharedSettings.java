package io.wattstream.kit;

import io.wattstream.model.Topics;
import java.util.List;

/**
 * Settings that several services (and the local stack) read, declared once so that each keeps one
 * key and one environment name everywhere. The prototype's {@code .env} names come first.
 */
public final class SharedSettings {

    public static final Setting KAFKA_BROKER = Setting.of("KAFKA_BROKER", "app.kafka.bootstrap", "localhost:9092",
            "Kafka bootstrap servers, host:port[,host:port...]");
    public static final Setting KAFKA_TOPIC = Setting.of("KAFKA_TOPIC", "app.raw-topic", Topics.RAW.name(),
            "topic of the raw readings the gateway publishes and the stream processor reads");

    public static final Setting POSTGRES_HOST = Setting.of("POSTGRES_HOST", "app.postgres.host", "127.0.0.1",
            "PostgreSQL host");
    public static final Setting POSTGRES_PORT = Setting.of("POSTGRES_PORT", "app.postgres.port", "5432",
            "PostgreSQL port");
    public static final Setting POSTGRES_DB = Setting.of("POSTGRES_DB", "app.postgres.db", "wattstream",
            "PostgreSQL database");
    public static final Setting POSTGRES_USER = Setting.of("POSTGRES_USER", "app.postgres.user", "wattstream",
            "PostgreSQL user");
    public static final Setting POSTGRES_PASSWORD = Setting.of("POSTGRES_PASSWORD", "app.postgres.password", "",
            "PostgreSQL password (never logged)");

    /** The prototype's database settings, as a client of the database reads them. */
    public static final List<Setting> POSTGRES = List.of(POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER,
            POSTGRES_PASSWORD);

    private SharedSettings() {
    }
}
