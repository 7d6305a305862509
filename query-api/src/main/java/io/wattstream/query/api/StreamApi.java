package io.wattstream.query.api;

import io.helidon.http.HeaderNames;
import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;
import io.wattstream.kit.http.Endpoints;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.query.live.EventHub;

/**
 * {@code GET /api/stream}: Server-Sent Events. Each connection runs on its own (virtual) thread and
 * only drains its subscription's queue; the one shared consumer ({@link LiveFeed}) fills them through
 * the {@link EventHub}.
 */
public final class StreamApi implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamApi.class);
    private static final io.helidon.http.HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final EventHub hub;
    private final Duration heartbeat;

    public StreamApi(EventHub hub, Duration heartbeat) {
        this.hub = hub;
        this.heartbeat = heartbeat;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/stream", this::stream);
    }

    private void stream(ServerRequest req, ServerResponse res) {
        Params p = Params.of(req.query());
        if (Endpoints.isHead(req)) {
            // An endless stream has no length to announce: the headers of a GET, at once.
            p.device("device");
            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
            res.header(HeaderNames.CACHE_CONTROL, "no-cache");
            res.send();
            return;
        }
        String device = p.device("device").orElse(null);
        // Browsers resend the last id as a header; other clients may prefer a parameter.
        String lastId = req.headers().first(LAST_EVENT_ID).orElse(p.string("last_event_id").orElse(null));
        EventHub.Subscription sub = hub.subscribe(device, lastId);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no"); // no proxy buffering of the stream
        try (SseSink sink = res.sink(SseSink.TYPE)) {
            // Sent at once so the client knows it is subscribed (headers alone may wait for a first write).
            sink.emit(SseEvent.builder().comment(sub.resumed() ? "resumed" : "connected").build());
            while (true) {
                EventHub.Event e = sub.next(heartbeat);
                if (sub.dropped()) {
                    break; // too slow or shutting down: the client reconnects with its Last-Event-ID
                }
                if (e == null) {
                    sink.emit(SseEvent.builder().comment("heartbeat").build());
                } else {
                    sink.emit(SseEvent.builder().id(e.id()).name(e.name()).data(e.data()).build());
                }
            }
        } catch (UncheckedIOException e) {
            LOG.debug("Live-feed client went away: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hub.unsubscribe(sub);
        }
    }
}
