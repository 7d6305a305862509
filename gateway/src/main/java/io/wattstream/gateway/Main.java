package io.wattstream.gateway;

import io.helidon.config.Config;

/** Runs the gateway as its own process. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Route Helidon's java.util.logging output into log4j2 before anything logs.
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        Config config = Gateway.defaultConfig();
        Config.global(config);
        Gateway.start(config);
    }
}
