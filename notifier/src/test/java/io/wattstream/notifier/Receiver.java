package io.wattstream.notifier;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver on a loopback port (the JDK's HttpServer) that records every request and
 * answers what its responder says. It may be started late on a port chosen up front, which is how a
 * test has a receiver that is down and then comes back.
 */
final class Receiver implements AutoCloseable {

    /** One request as received, and the status it was answered with. */
    record Request(String path, Map<String, List<String>> headers, byte[] body, int status) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Integer> responder = r -> 200;
    private HttpServer server;

    private Receiver(int port) {
        this.port = port;
    }

    static Receiver started() {
        return new Receiver(0).start();
    }

    /** A receiver whose port is known but that does not listen until {@link #start()}. */
    static Receiver down() {
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Receiver(s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized Receiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request seen = new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body, 0);
            int status = responder.apply(seen);
            requests.add(new Request(seen.path(), seen.headers(), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return this;
    }

    Receiver answering(Function<Request, Integer> responder) {
        this.responder = responder;
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + (server == null ? port : server.getAddress().getPort()) + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> accepted() {
        return requests.stream().filter(r -> r.status() >= 200 && r.status() < 300).toList();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
