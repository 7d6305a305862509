package io.wattstream.streams.app;

import io.helidon.config.Config;

/** Standalone stream processor: {@code application.yaml}, overridden by environment variables. */
public final class StreamsMain {

    public static void main(String[] args) {
        // Named so that it cannot shadow the logging setup of a JVM that embeds this module.
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-streams.xml");
        }
        Config config = Config.create();
        Config.global(config);
        StreamsApp app = StreamsApp.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "streams-shutdown"));
    }

    private StreamsMain() {
    }
}
