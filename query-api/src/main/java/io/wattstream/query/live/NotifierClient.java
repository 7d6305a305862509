package io.wattstream.query.live;

import io.wattstream.query.api.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Client of the notifier's {@code GET /deliveries} (recent outcomes and what is still being retried),
 * which holds no secret: the query API passes its answer on as it is. Any failure to get an answer is
 * a 503.
 */
public final class NotifierClient {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The notifier's status and JSON body. */
    public record Answer(int status, byte[] body) {
    }

    private final URI base;
    private final HttpClient http;

    public NotifierClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** {@code /deliveries} with {@code rawQuery} (already encoded; empty for none). */
    public Answer deliveries(String rawQuery) {
        URI uri = base.resolve("/deliveries" + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        try {
            HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET()
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() >= 500) {
                throw ApiException.unavailable("the notifier answered " + res.statusCode(), null);
            }
            return new Answer(res.statusCode(), res.body());
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.unavailable("the notifier cannot be reached: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking the notifier", e);
        }
    }
}
