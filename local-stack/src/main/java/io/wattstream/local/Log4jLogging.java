package io.wattstream.local;

import io.helidon.logging.common.spi.LoggingProvider;

/**
 * Tells Helidon that logging is set up already: log4j2 reads its own configuration and Helidon's
 * java.util.logging output reaches it through the JUL bridge. Without a provider Helidon prints a notice
 * that it skips log configuration.
 */
public final class Log4jLogging implements LoggingProvider {

    @Override
    public void initialization() {
        // log4j2 configures itself from log4j2.xml
    }

    @Override
    public void runTime() {
        // nothing to reconfigure at run time
    }
}
