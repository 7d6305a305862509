package io.wattstream.gateway;

import io.helidon.common.tls.Tls;
import io.helidon.config.Config;
import io.wattstream.kit.Durations;
import io.wattstream.kit.Setting;
import io.wattstream.kit.SettingsReader;
import io.wattstream.kit.SettingsTable;
import io.wattstream.kit.SharedSettings;
import io.wattstream.kit.http.KeystoreTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.wattstream.gateway.ws.ShellyWsSettings;
import io.wattstream.gateway.ws.StatusPolls;

/**
 * The gateway's settings. Every one has a default, so the gateway also starts from a config node
 * that only names the broker (as the one-JVM local stack does). {@link #TABLE} lists them all.
 *
 * @param bootstrap         Kafka bootstrap servers
 * @param topic             raw topic name
 * @param port              HTTP port ({@code server.port}; 0 picks a free one)
 * @param tokens            device tokens; none means no token is required
 * @param publishTimeout    longest wait for Kafka's acknowledgement before answering 503
 * @param retryAfter        the {@code Retry-After} sent with a 503, whole seconds
 * @param maxBodyBytes      largest accepted request body; larger gets 413
 * @param linger            producer {@code linger.ms}
 * @param producerOverrides any further producer setting, applied last
 * @param bodyReadTimeout   longest time a request body may take to arrive; a slower client gets 408
 * @param ws                the outbound WebSocket's bounds and polls
 * @param tls               the HTTPS listener's key and certificate; null: plain HTTP
 */
public record GatewaySettings(
        String bootstrap,
        String topic,
        int port,
        DeviceTokens tokens,
        Duration publishTimeout,
        Duration retryAfter,
        int maxBodyBytes,
        Duration linger,
        Map<String, String> producerOverrides,
        Duration bodyReadTimeout,
        ShellyWsSettings ws,
        Tls tls) {

    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /** Every setting of the gateway. */
    public static final SettingsTable TABLE = SettingsTable.of("gateway",
            List.of(SharedSettings.KAFKA_BROKER, SharedSettings.KAFKA_TOPIC),
            List.of(Setting.of("GATEWAY_PORT", "server.port", "8080", "HTTP port of the webhook"),
                    Setting.of("GATEWAY_TOKENS", "app.tokens", "",
                            "per-device tokens device:token,device:token; empty = none required (as the prototype)"),
                    Setting.of("GATEWAY_PUBLISH_TIMEOUT", "app.publish-timeout", "5s",
                            "longest wait for Kafka's acknowledgement before answering 503"),
                    Setting.of("GATEWAY_RETRY_AFTER", "app.retry-after", "5s", "Retry-After sent with a 503"),
                    Setting.of("GATEWAY_MAX_BODY_BYTES", "app.max-body-bytes", Integer.toString(DEFAULT_MAX_BODY_BYTES),
                            "largest accepted request body in bytes; larger gets 413"),
                    Setting.of("GATEWAY_BODY_READ_TIMEOUT", "app.body-read-timeout", "10s",
                            "longest time a request body may take to arrive; slower gets 408"),
                    Setting.of("GATEWAY_KAFKA_LINGER", "app.kafka.linger", "2ms",
                            "producer linger: concurrent requests share a produce request"),
                    Setting.group("GATEWAY_PRODUCER_CONFIG", "app.kafka.producer",
                            "further Kafka producer settings name=value,name=value, applied last"),
                    Setting.of("GATEWAY_WS_PING_INTERVAL", "app.ws.ping-interval", "5s",
                            "how often the gateway pings each device on the outbound WebSocket /ws/shelly"),
                    Setting.of("GATEWAY_WS_IDLE_TIMEOUT", "app.ws.idle-timeout", "15s",
                            "a WebSocket without any frame or pong this long is closed; under the port's 20s idle timeout"),
                    Setting.of("GATEWAY_WS_MAX_FRAME_BYTES", "app.ws.max-frame-bytes",
                            Integer.toString(ShellyWsSettings.DEFAULT_MAX_FRAME_BYTES),
                            "largest WebSocket message in bytes (a frame or its fragments); larger closes with 1009"),
                    Setting.of("GATEWAY_WS_MAX_FRAMES_PER_SECOND", "app.ws.max-frames-per-second",
                            Integer.toString(ShellyWsSettings.DEFAULT_MAX_FRAMES_PER_SECOND),
                            "frames one WebSocket may send per second, sustained; more closes with 1008"),
                    Setting.of("GATEWAY_WS_STATUS_POLL", "app.ws.status-poll", "",
                            "devices the gateway asks for Switch.GetStatus itself: device=30s,*=5m; empty = none"),
                    Setting.of("GATEWAY_TLS_KEYSTORE", "app.tls.keystore", "",
                            "PKCS#12 keystore with the HTTPS key and certificate chain (one key entry); empty = plain HTTP"),
                    Setting.of("GATEWAY_TLS_KEYSTORE_PASSWORD", "app.tls.keystore-password", "",
                            "password of that keystore (and of its key); never logged")));

    public GatewaySettings {
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("app.retry-after (GATEWAY_RETRY_AFTER) must be at least 1s, got " + retryAfter);
        }
    }

    /** Reads the gateway's config node (children {@code server} and {@code app}). */
    public static GatewaySettings from(Config gatewayConfig) {
        return from(TABLE.reader(gatewayConfig));
    }

    /** Reads every setting of {@link #TABLE} through {@code r}. */
    public static GatewaySettings from(SettingsReader r) {
        return new GatewaySettings(
                r.string("app.kafka.bootstrap"),
                r.string("app.raw-topic"),
                r.integer("server.port", 0, 65535),
                DeviceTokens.parse(r.string("app.tokens")),
                r.duration("app.publish-timeout"),
                r.duration("app.retry-after"),
                r.integer("app.max-body-bytes", 1, Integer.MAX_VALUE),
                r.duration("app.kafka.linger"),
                r.group("app.kafka.producer"),
                r.duration("app.body-read-timeout"),
                wsSettings(r),
                tls(r));
    }

    private static Tls tls(SettingsReader r) {
        String keystore = r.string("app.tls.keystore");
        String password = r.string("app.tls.keystore-password");
        return keystore.isBlank() ? null
                : KeystoreTls.load(Path.of(keystore), password.toCharArray(), "app.tls.keystore (GATEWAY_TLS_KEYSTORE)");
    }

    private static ShellyWsSettings wsSettings(SettingsReader r) {
        StatusPolls polls;
        try {
            polls = StatusPolls.parse(r.string("app.ws.status-poll"), Durations::parse);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("app.ws.status-poll (GATEWAY_WS_STATUS_POLL): " + e.getMessage(), e);
        }
        return new ShellyWsSettings(r.duration("app.ws.ping-interval"), r.duration("app.ws.idle-timeout"),
                r.integer("app.ws.max-frame-bytes", 1024, Integer.MAX_VALUE),
                r.integer("app.ws.max-frames-per-second", 1, 1_000_000), polls);
    }
}
