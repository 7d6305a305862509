package io.wattstream.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady load of readings in every shape the gateway takes, from several devices, each device
 * posting one request at a time, plus one device that swings over and under the alert threshold.
 * Records every reading answered 2xx, and every status seen, so a checker can prove what was
 * acknowledged is stored exactly once.
 */
final class Load implements AutoCloseable {

    static final String PREFIX = "rel-";
    static final double THRESHOLD_W = 3500;

    private static final String[] SHAPES = {"FLAT_POST", "FLAT_GET", "FLAT_FORM", "SHELLY_ACTION", "SWITCH_STATUS",
            "NOTIFY_FULL_STATUS", "NOTIFY_STATUS", "FLAT_BATCH"};

    private final List<String> gatewayUrls;
    private final String runId;
    private final int devices;
    private final Duration pace;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Window> watch = new AtomicReference<>();
    private final AtomicLong acceptedInWatch = new AtomicLong();
    private final Map<String, Unserved> unserved = new ConcurrentHashMap<>();
    private final AtomicLong longestServerErrorNanos = new AtomicLong();
    private final AtomicLong longestUnreachableNanos = new AtomicLong();
    private volatile long spansFromNanos = System.nanoTime();
    private volatile boolean running = true;

    /** A span in which no request may be acknowledged (the broker is down). */
    private record Window(long fromNanos) {
    }

    /**
     * One device's current span without a 2xx: since its first other answer (-1: it was served last),
     * and whether a 5xx was among them (else the gateway was unreachable, or refused). Written by the
     * device's own thread only.
     */
    private static final class Unserved {
        volatile long sinceNanos = -1;
        volatile boolean serverError;
    }

    /**
     * @param runId distinguishes device ids between runs on the same data
     * @param pace  pause between two requests of one device (the rate is devices / pace)
     */
    Load(String gatewayUrl, String runId, int devices, Duration pace) {
        this(List.of(gatewayUrl), runId, devices, pace);
    }

    /** Spreads the devices over several gateways: device i posts to gateway i mod n, the alert device to the first. */
    Load(List<String> gatewayUrls, String runId, int devices, Duration pace) {
        this.gatewayUrls = List.copyOf(gatewayUrls);
        this.runId = runId;
        this.devices = devices;
        this.pace = pace;
    }

    Load start() {
        for (int i = 0; i < devices; i++) {
            String device = PREFIX + runId + "-dev-" + i;
            String partner = PREFIX + runId + "-dev-" + ((i + 1) % devices);
            int offset = i;
            String gateway = gatewayUrls.get(i % gatewayUrls.size());
            threads.add(Thread.ofPlatform().name("load-" + device).daemon()
                    .start(() -> runDevice(gateway, device, partner, offset)));
        }
        threads.add(Thread.ofPlatform().name("load-alert").daemon().start(this::runAlertDevice));
        return this;
    }

    private void runDevice(String gateway, String device, String partner, int offset) {
        double energy = 1000 + offset * 100;
        long n = offset;
        while (running) {
            String shape = SHAPES[(int) (n++ % SHAPES.length)];
            energy += 0.5;
            double power = round(100 + ThreadLocalRandom.current().nextDouble(3000));
            send(device, request(gateway, shape, device, partner, power, 229 + round(ThreadLocalRandom.current().nextDouble(2)),
                    round(power / 230), round(energy)));
            LockSupport.parkNanos(pace.toNanos());
        }
    }

    /** Alternates well over and well under the threshold, one reading at a time, in order. */
    private void runAlertDevice() {
        String device = PREFIX + runId + "-alert";
        double energy = 10;
        boolean over = true;
        while (running) {
            energy += 1;
            double power = over ? 5000 : 100;
            if (send(device, request(gatewayUrls.get(0), "FLAT_POST", device, device, power, 230, round(power / 230), energy))) {
                over = !over;
            }
            LockSupport.parkNanos(pace.toNanos() * 2);
        }
    }

    String alertDevice() {
        return PREFIX + runId + "-alert";
    }

    /** Every device this load posts for, the alert device last. */
    List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            ids.add(PREFIX + runId + "-dev-" + i);
        }
        ids.add(alertDevice());
        return ids;
    }

    private HttpRequest request(String gateway, String shape, String device, String partner, double p, double v, double c,
                                double e) {
        String ts = unixNow();
        String base = gateway + "/webhook/";
        HttpRequest.Builder b;
        switch (shape) {
            case "FLAT_POST" -> b = json(base + device, fmt("{\"power\":%s,\"voltage\":%s,\"current\":%s,\"energy\":%s}", p, v, c, e));
            case "FLAT_GET" -> b = HttpRequest.newBuilder(URI.create(base + fmt("?device_id=%s&power=%s&voltage=%s&current=%s&energy=%s",
                    device, p, v, c, e))).GET();
            case "FLAT_FORM" -> b = HttpRequest.newBuilder(URI.create(base + device))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(fmt("power=%s&voltage=%s&current=%s&energy=%s", p, v, c, e)));
            case "SHELLY_ACTION" -> b = HttpRequest.newBuilder(URI.create(base + fmt(
                    "?device=%s&apower=%s&voltage=%s&current=%s&energy=%s&ts=%s", device, p, v, c, e, ts))).GET();
            case "SWITCH_STATUS" -> b = json(base + device, fmt("{\"src\":\"%s\",\"ts\":%s,\"switch:0\":{\"id\":0,\"output\":true,"
                    + "\"apower\":%s,\"voltage\":%s,\"current\":%s,\"aenergy\":{\"total\":%s}}}", device, ts, p, v, c, e));
            case "NOTIFY_FULL_STATUS" -> b = json(base, fmt("{\"src\":\"%s\",\"method\":\"NotifyFullStatus\",\"params\":{\"ts\":%s,"
                    + "\"switch:0\":{\"apower\":%s,\"voltage\":%s,\"current\":%s,\"aenergy\":{\"total\":%s}}}}", device, ts, p, v, c, e));
            case "NOTIFY_STATUS" -> b = json(base, fmt("{\"src\":\"%s\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":%s,"
                    + "\"switch:0\":{\"apower\":%s,\"current\":%s}}}", device, ts, p, c));
            case "FLAT_BATCH" -> b = json(base, fmt("[{\"device_id\":\"%s\",\"power\":%s,\"voltage\":%s,\"current\":%s,\"energy\":%s},"
                    + "{\"device_id\":\"%s\",\"power\":%s,\"voltage\":%s,\"current\":%s,\"energy\":%s}]",
                    device, p, v, c, e, partner, p / 2, v, c / 2, e));
            default -> throw new IllegalArgumentException(shape);
        }
        return b.timeout(Duration.ofSeconds(15)).build();
    }

    private static HttpRequest.Builder json(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** Sends one request of a device; true when it was acknowledged. */
    private boolean send(String device, HttpRequest request) {
        long sentAt = System.nanoTime();
        requests.incrementAndGet();
        int status;
        String body;
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            body = r.body();
        } catch (IOException e) {
            status = -1;
            body = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        recordAnswer(unserved.computeIfAbsent(device, d -> new Unserved()), status, System.nanoTime());
        if (status / 100 != 2) {
            return false;
        }
        Window w = watch.get();
        if (w != null && sentAt > w.fromNanos()) {
            acceptedInWatch.incrementAndGet();
        }
        try {
            JsonNode data = Json.MAPPER.readTree(body).get("data");
            if (data.isArray()) {
                data.forEach(d -> accepted.add(Accepted.of(d)));
            } else {
                accepted.add(Accepted.of(data));
            }
        } catch (IOException e) {
            throw new AssertionError("2xx with an unreadable body: " + body, e);
        }
        return true;
    }

    /** Ends or extends the device's span without a 2xx; an ended span counts from {@link #resetUnservedSpans()} on. */
    private void recordAnswer(Unserved u, int status, long now) {
        if (status / 100 == 2) {
            long since = u.sinceNanos;
            if (since >= 0) {
                long span = now - Math.max(since, spansFromNanos);
                (u.serverError ? longestServerErrorNanos : longestUnreachableNanos).accumulateAndGet(span, Math::max);
            }
            u.sinceNanos = -1;
            u.serverError = false;
            return;
        }
        if (u.sinceNanos < 0) {
            u.sinceNanos = now;
        }
        if (status >= 500) {
            u.serverError = true;
        }
    }

    /** Forgets the spans without a 2xx seen so far: the longest ones are measured from now on. */
    void resetUnservedSpans() {
        spansFromNanos = System.nanoTime();
        longestServerErrorNanos.set(0);
        longestUnreachableNanos.set(0);
    }

    /**
     * The longest time one device went without a 2xx, from its first other answer to its next 2xx (or
     * to now, when it has not had one yet), over the spans that held a 5xx answer; since
     * {@link #resetUnservedSpans()}.
     */
    Duration longestServerErrorSpan() {
        return longest(longestServerErrorNanos, true);
    }

    /** As {@link #longestServerErrorSpan()}, over the spans without a 5xx: the gateway did not answer at all. */
    Duration longestUnreachableSpan() {
        return longest(longestUnreachableNanos, false);
    }

    private Duration longest(AtomicLong ended, boolean serverError) {
        long now = System.nanoTime();
        long max = ended.get();
        for (Unserved u : unserved.values()) {
            long since = u.sinceNanos;
            if (since >= 0 && u.serverError == serverError) {
                max = Math.max(max, now - Math.max(since, spansFromNanos));
            }
        }
        return Duration.ofNanos(max);
    }

    /** From now until {@link #endWatch()}, counts acknowledgements of requests sent in that span. */
    void watchForAcknowledgements() {
        acceptedInWatch.set(0);
        watch.set(new Window(System.nanoTime()));
    }

    long endWatch() {
        watch.set(null);
        return acceptedInWatch.get();
    }

    long acknowledgedDuringWatch() {
        return acceptedInWatch.get();
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** Waits (bounded) until {@code more} further readings have been acknowledged. */
    void awaitMoreAccepted(int more, Duration timeout) {
        int target = acceptedCount() + more;
        Poll.until(() -> more + " more acknowledged readings (" + statusSummary() + ")", timeout,
                () -> acceptedCount() >= target);
    }

    long status(int code) {
        AtomicLong n = statuses.get(code);
        return n == null ? 0 : n.get();
    }

    long requests() {
        return requests.get();
    }

    String statusSummary() {
        StringBuilder s = new StringBuilder();
        new java.util.TreeMap<>(statuses).forEach((k, v) -> s.append(k == -1 ? "io-error" : k).append('=').append(v.get()).append(' '));
        return s.toString().trim();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String unixNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() + "." + String.format(Locale.ROOT, "%06d", now.getNano() / 1000);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
