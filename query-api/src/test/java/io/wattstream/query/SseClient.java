package io.wattstream.query;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A plain HTTP client reading an event stream, parsing events and comments as they arrive. */
final class SseClient implements AutoCloseable {

    /** One parsed block: an event (name, id, data) or a comment. */
    record Message(String name, String id, String data, String comment) {
    }

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    final HttpClient http = HttpClient.newHttpClient();

    SseClient(String url, String lastEventId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        response = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(res -> {
            String name = null;
            String id = null;
            StringBuilder data = null;
            for (String line : (Iterable<String>) res.body()::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(name == null ? "message" : name, id, data.toString(), null));
                    }
                    name = null;
                    id = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, null, line.substring(1).strip()));
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(5).strip());
                }
            }
        });
    }

    int status() throws Exception {
        return response.get(10, TimeUnit.SECONDS).statusCode();
    }

    /** The next event (comments skipped), failing after the timeout. */
    Message nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no event within " + timeout);
            }
            if (m.comment() == null) {
                return m;
            }
        }
    }

    /** Waits for a comment with the given text. */
    void awaitComment(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Message m = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no ': " + text + "' within " + timeout);
            }
            if (text.equals(m.comment())) {
                return;
            }
        }
    }

    @Override
    public void close() {
        response.cancel(true);
        http.shutdownNow();
    }
}
