package io.wattstream.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for servers that cannot bind port 0 themselves. */
public final class Ports {

    /** A port that was free a moment ago; another process could still take it first. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Whether something already listens on the port (used to give a clear error before binding). */
    public static boolean inUse(String host, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private Ports() {
    }
}
