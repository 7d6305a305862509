package io.wattstream.kit;

/**
 * A running service, as {@code XxxApp.start(Config)} returns it: started from its own config node
 * (children {@code server} and {@code app}), so several can share one JVM, and closed once, which
 * closes everything it opened.
 */
public interface ServiceApp extends AutoCloseable {

    /** The port its web server is bound to. */
    int port();

    @Override
    void close();
}
