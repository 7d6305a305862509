package io.wattstream.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.http.Endpoints;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.gateway.readings.WebhookParser;
import io.wattstream.gateway.readings.WebhookRequest;

/**
 * The webhook endpoints: {@code GET|POST /webhook}, {@code /webhook/} and
 * {@code /webhook/{device_id}}. Reads the body (bounded), parses, checks the device token,
 * publishes, and answers 200 only once Kafka acknowledged every reading. Failures are thrown as
 * {@link Rejection} and answered by {@link ErrorMapping}.
 */
public final class WebhookService implements HttpService {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);
    private static final String BEARER = "Bearer ";

    private final WebhookParser parser = new WebhookParser();
    private final MonotonicClock clock;
    private final ReadingPublisher publisher;
    private final DeviceTokens tokens;
    private final GatewayMetrics metrics;
    private final int maxBodyBytes;
    private final Duration bodyReadTimeout;

    public WebhookService(GatewaySettings settings, ReadingPublisher publisher, GatewayMetrics metrics,
                          MonotonicClock clock) {
        this.publisher = publisher;
        this.tokens = settings.tokens();
        this.metrics = metrics;
        this.clock = clock;
        this.maxBodyBytes = settings.maxBodyBytes();
        this.bodyReadTimeout = settings.bodyReadTimeout();
    }

    /** The prototype's URL and its per-device form; any other method is the kit's 405 with {@code Allow}. */
    @Override
    public void routing(HttpRules rules) {
        Handler webhook = Endpoints.prototype(this::handle);
        for (String path : List.of("/webhook", "/webhook/", "/webhook/{device_id}")) {
            rules.get(path, webhook).post(path, webhook);
        }
    }

    private void handle(ServerRequest req, ServerResponse res) {
        WebhookRequest request = new WebhookRequest(
                req.prologue().method().text(),
                req.path().pathParameters().first("device_id").orElse(null),
                req.query().rawValue(),
                req.headers().value(HeaderNames.CONTENT_TYPE).orElse(null),
                req.prologue().method() == Method.POST ? readBody(req) : new byte[0]);
        List<RawReading> readings = parser.parse(request, clock);
        tokens.authorize(deviceIds(readings), presentedToken(req));

        long t0 = System.nanoTime();
        publisher.publish(readings);
        metrics.publishLatency(System.nanoTime() - t0);
        metrics.accepted(readings.size());
        if (LOG.isDebugEnabled()) {
            LOG.debug("published {} reading(s) from {} as {}", readings.size(), deviceIds(readings), readings.get(0).source());
        }

        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("data", isBatch(readings) ? readings : readings.get(0));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(json(answer));
    }

    /**
     * Reads at most the limit; a larger body is refused here too, whatever the listener allows. A body
     * that trickles in (a byte a second) is cut off at the read deadline, so a slow client cannot hold
     * a request open for hours; a silent one is cut off by the server's socket read timeout.
     */
    private byte[] readBody(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        long deadline = System.nanoTime() + bodyReadTimeout.toNanos();
        try (InputStream in = req.content().inputStream()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                body.write(chunk, 0, n);
                if (body.size() > maxBodyBytes) {
                    throw new Rejection(Reason.PAYLOAD_TOO_LARGE, ErrorMapping.tooLarge(maxBodyBytes));
                }
                if (System.nanoTime() > deadline) {
                    throw new Rejection(Reason.REQUEST_TIMEOUT, "the body did not arrive within "
                            + bodyReadTimeout.toMillis() + " ms");
                }
            }
            return body.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch, or a multi-channel status (one reading per channel), is answered with the list. */
    private static boolean isBatch(List<RawReading> readings) {
        return readings.size() > 1 || readings.get(0).source() == RawReading.Source.FLAT_BATCH;
    }

    private static Set<String> deviceIds(List<RawReading> readings) {
        Set<String> ids = new LinkedHashSet<>();
        readings.forEach(r -> ids.add(r.deviceId()));
        return ids;
    }

    /** {@code Authorization: Bearer} wins over {@code ?token=}; both may be absent. */
    private static Optional<String> presentedToken(ServerRequest req) {
        Optional<String> header = req.headers().value(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(h -> h.substring(BEARER.length()).trim());
        if (header.isPresent()) {
            return header;
        }
        try {
            return req.query().first("token").asOptional();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response", e);
        }
    }
}
