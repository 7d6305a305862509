package io.wattstream.reliability;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import io.wattstream.streams.app.StreamsApp;

/**
 * The stream processor alone in a JVM, so a test can SIGKILL it mid-transaction. Arguments: bootstrap
 * servers, state directory, /state port. Prints {@code STREAMS READY} once RUNNING.
 */
public final class StreamsChild {

    public static void main(String[] args) throws InterruptedException {
        StreamsApp app = StreamsApp.start(Config.just(ConfigSources.create(Map.of(
                "server.host", "127.0.0.1",
                "server.port", args[2],
                "app.kafka.bootstrap", args[0],
                "app.state-dir", args[1],
                "app.advertised-host", "127.0.0.1",
                "app.create-topics", "false",
                // A killed member never leaves its group: the broker notices after the session timeout,
                // and the restarted instance gets its partitions only then (45 s by default).
                "app.streams.session.timeout.ms", "6000",
                "app.streams.heartbeat.interval.ms", "1000"))));
        app.awaitRunning(Duration.ofSeconds(90));
        System.out.println("STREAMS READY");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-child-shutdown"));
        new CountDownLatch(1).await();
    }

    private StreamsChild() {
    }
}
