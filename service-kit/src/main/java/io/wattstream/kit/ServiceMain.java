package io.wattstream.kit;

import io.helidon.config.Config;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The {@code main} of every service: logging set up the same way, the config loaded through the
 * service's settings table and made global once, the app started and closed on shutdown.
 */
public final class ServiceMain {

    /** The log4j2 configuration every service runs with, unless one is given on the command line. */
    public static final String LOG_CONFIG = "log4j2-wattstream.xml";

    private ServiceMain() {
    }

    /** Starts the service; a failure to start is logged and exits with status 1. */
    public static void run(String name, SettingsTable settings, Function<Config, ? extends ServiceApp> start) {
        setUpLogging();
        Config config = settings.load();
        // Helidon's service registry takes the first global config and silently ignores later ones.
        Config.global(config);
        ServiceApp app;
        try {
            app = start.apply(config);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ServiceMain.class).error("{} failed to start: {}", name, e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, name + "-shutdown"));
    }

    /**
     * One backend, log4j2: Helidon's java.util.logging output is routed into it, which only works
     * before anything has touched java.util.logging. The configuration file has a name of its own
     * so that it cannot shadow the logging of a JVM that embeds several services. Also for the
     * one-shot commands (a replay) that run beside the services.
     */
    public static void setUpLogging() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        }
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
    }
}
