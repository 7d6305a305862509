package io.wattstream.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device's side of the outbound WebSocket, on the JDK's own client: sends text frames, keeps what
 * the gateway sends, answers pings (the JDK client does that itself) and records the close.
 */
final class DeviceSocket implements AutoCloseable {

    /** The close the gateway sent: status and reason. */
    record Closed(int status, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final WebSocket socket;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();

    private DeviceSocket(URI uri, HttpClient client, Map<String, String> headers) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        this.socket = builder
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received.add(partial.toString());
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
                        pings.incrementAndGet();
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                        closed.complete(new Closed(status, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(new Closed(-1, String.valueOf(error)));
                    }
                }).join();
    }

    static DeviceSocket connect(String url) {
        return new DeviceSocket(URI.create(url), HTTP, Map.of());
    }

    static DeviceSocket connect(String url, HttpClient client) {
        return new DeviceSocket(URI.create(url), client, Map.of());
    }

    static DeviceSocket connect(String url, HttpClient client, Map<String, String> headers) {
        return new DeviceSocket(URI.create(url), client, headers);
    }

    /** Sends one text frame and waits until it is written. */
    DeviceSocket send(String frame) {
        socket.sendText(frame, true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    CompletableFuture<WebSocket> sendAsync(String frame) {
        return socket.sendText(frame, true);
    }

    DeviceSocket sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).orTimeout(10, TimeUnit.SECONDS).join();
        }
        return this;
    }

    DeviceSocket sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
        return this;
    }

    /** The next frame the gateway sent, as JSON, or null when none came within {@code timeout}. */
    JsonNode next(Duration timeout) throws Exception {
        String text = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return text == null ? null : Json.MAPPER.readTree(text);
    }

    /** The close the gateway sent, waiting up to {@code timeout}; null when it did not close. */
    Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isClosed() {
        return closed.isDone() || socket.isInputClosed();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
            } catch (RuntimeException e) {
                // the gateway closed first
            }
        }
        socket.abort();
    }
}
