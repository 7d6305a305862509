package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.wattstream.embedded.Dirs;
import io.wattstream.embedded.harness.Poll;
import io.wattstream.gateway.GatewayApp;
import io.wattstream.local.LocalStack;
import io.wattstream.local.Options;
import io.wattstream.model.RawReading;
import io.wattstream.model.ReadingRules;
import io.wattstream.model.Topics;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against the running stack over real HTTP: fuzzed requests, oversized parts, a client
 * that trickles its body, 200 concurrent live-feed subscribers, SQL-injection-looking parameters and
 * device tokens. Nothing gets a 5xx, nothing invalid reaches the raw topic, and well-behaved clients
 * are served meanwhile.
 */
class HostileHttpIT {

    private static final PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Reads the live feeds: off the thread that opened them, even when the response is already there. */
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
    private static Path dataDir;
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        dataDir = Dirs.temp("wattstream-hostile-");
        Options options = Options.parse(new String[] {"--data-dir", dataDir.toString(), "--gateway-port", "0",
                "--query-port", "0", "--origin-port", "0", "--connect-port", "0", "--state-port", "0", "--notifier-port", "0", "--kafka-port", "0",
                "--postgres-port", "0"}, Map.of());
        stack = LocalStack.start(options, OUT);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        Dirs.deleteRecursively(dataDir);
    }

    @Test
    void fuzzedRequestsNeverGet5xxAndNothingInvalidReachesTheTopic() throws Exception {
        Random random = new Random(20261129L);
        Map<Integer, Integer> statuses = new TreeMap<>();
        int gateway = stack.gatewayPort();
        for (int i = 0; i < 600; i++) {
            byte[] request = fuzzedRequest(random);
            RawHttp.Answer a = RawHttp.send(gateway, request, 15_000);
            statuses.merge(a.status(), 1, Integer::sum);
            String sent = new String(request, 0, Math.min(request.length, 200), StandardCharsets.UTF_8);
            assertThat(a.status()).as("request #" + i + " " + sent + " answered " + a.text()).isLessThan(500);
            if (a.status() >= 400) {
                // The prototype's routes add Django's "detail" beside "error": the body is JSON with an error.
                assertThat(a.text()).as("a 4xx explains itself in JSON").containsPattern("\\{\"(detail|error)\":")
                        .contains("\"error\":");
            }
        }
        OUT.println("RELIABILITY [gateway fuzz] 600 requests, statuses " + statuses + " (-1 = closed without answer)");
        assertThat(statuses.keySet()).as("the fuzz reached the parser and also produced valid readings").contains(200, 400);

        int invalid = 0;
        int records = 0;
        for (byte[] value : rawTopicValues()) {
            records++;
            try {
                RawReading r = Topics.RAW.valueSerde().deserializer().deserialize(stack.rawTopic(), value);
                ReadingRules.validate(r);
            } catch (RuntimeException e) {
                invalid++;
            }
        }
        OUT.println("RELIABILITY [gateway fuzz] raw topic records=" + records + " invalid=" + invalid);
        assertThat(invalid).isZero();
    }

    @Test
    void oversizedOrMalformedRequestsGetA4xxNotA5xx() {
        int gw = stack.gatewayPort();
        String big = "{\"power\":1,\"voltage\":230,\"current\":1,\"energy\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}";
        RawHttp.Answer body = RawHttp.send(gw, RawHttp.bytes("POST /webhook/big HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + big.length() + "\r\n\r\n" + big), 15_000);
        assertThat(body.status()).as(body.text()).isEqualTo(413);
        assertThat(body.text()).contains("\"error\"");

        String one = "{\"device_id\":\"b\",\"power\":1,\"voltage\":230,\"current\":1,\"energy\":1}";
        String batch = "[" + String.join(",", java.util.Collections.nCopies(501, one)) + "]";
        RawHttp.Answer many = RawHttp.send(gw, RawHttp.bytes("POST /webhook/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + batch.length() + "\r\n\r\n" + batch), 15_000);
        assertThat(many.status()).as(many.text()).isEqualTo(413);
        assertThat(many.text()).contains("at most 500 readings");

        for (int port : List.of(gw, stack.query().port())) {
            RawHttp.Answer url = RawHttp.send(port, RawHttp.bytes("GET /webhook/?power=" + "1".repeat(100_000)
                    + " HTTP/1.1\r\nHost: x\r\n\r\n"), 15_000);
            assertThat(url.status()).as("100 kB URL on port " + port + ": " + url.text()).isBetween(400, 499);
            RawHttp.Answer header = RawHttp.send(port, RawHttp.bytes("GET /webhook/ HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "h".repeat(100_000) + "\r\n\r\n"), 15_000);
            assertThat(header.status()).as("100 kB header on port " + port + ": " + header.text()).isBetween(400, 499);
            for (String method : List.of("G\u00e9T", "G\u0001T", "GET\u00a0")) {
                RawHttp.Answer bad = RawHttp.send(port, RawHttp.bytes(method + " /api/measurements/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                        15_000);
                assertThat(bad.status()).as("method " + method + " on port " + port + ": " + bad.text()).isBetween(400, 499);
                assertThat(bad.text()).contains("{\"error\":");
            }
            StringBuilder headers = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                headers.append("X-H").append(i).append(": v\r\n");
            }
            RawHttp.Answer manyHeaders = RawHttp.send(port, RawHttp.bytes("GET /webhook/ HTTP/1.1\r\nHost: x\r\n"
                    + headers + "\r\n"), 15_000);
            assertThat(manyHeaders.status()).as("2000 headers on port " + port + ": " + manyHeaders.text()).isBetween(400, 499);
        }
    }

    @Test
    void slowAndSilentClientsAreCutOffAndOthersAreServed() throws Exception {
        String body = "{\"power\":1,\"voltage\":230,\"current\":1,\"energy\":1}";
        long t0 = System.nanoTime();
        // And one that connects, starts a request line and then says nothing: closed as idle (20 s).
        Socket silent = new Socket("127.0.0.1", stack.gatewayPort());
        silent.getOutputStream().write(RawHttp.bytes("POST /webh"));
        silent.setSoTimeout(60_000);
        CompletableFuture<Long> silentClosed = CompletableFuture.supplyAsync(() -> {
            try (silent) {
                silent.getInputStream().readAllBytes(); // until the gateway closes it (a read timeout throws)
                return (System.nanoTime() - t0) / 1_000_000;
            } catch (java.net.SocketTimeoutException e) {
                return Long.MAX_VALUE;
            } catch (java.io.IOException e) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
        });
        try (Socket s = new Socket("127.0.0.1", stack.gatewayPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(RawHttp.bytes("POST /webhook/slow-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n"));
            out.flush();
            InputStream in = s.getInputStream();
            // One byte a second, as a slow-loris client would; the gateway's body deadline (10 s) ends it.
            RawHttp.Answer answer = null;
            for (int i = 0; i < body.length() && answer == null; i++) {
                try {
                    out.write(body.charAt(i));
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
                long next = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                // Meanwhile a normal client is served at once.
                if (i == 3) {
                    HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/webhook/fast-1"))
                            .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(ok.statusCode()).isEqualTo(200);
                }
                if (in.available() > 0) {
                    answer = RawHttp.read(in, t0);
                }
                while (System.nanoTime() < next && in.available() == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            }
            if (answer == null) {
                answer = RawHttp.read(in, t0);
            }
            OUT.println("RELIABILITY [slow client] answered " + answer.status() + " after " + answer.millis() + " ms");
            assertThat(answer.status()).as(answer.text()).isEqualTo(408);
            assertThat(answer.millis()).isLessThan(20_000);
        }
        long closedAfter = silentClosed.get(90, java.util.concurrent.TimeUnit.SECONDS);
        OUT.println("RELIABILITY [silent client] connection closed by the gateway after " + closedAfter + " ms");
        assertThat(closedAfter).as("a silent connection is closed").isBetween(1L, 60_000L);
    }

    @Test
    void twoHundredLiveFeedClientsAreServedWithoutHurtingOthers() throws Exception {
        int clients = 200;
        String device = "sse-many-1";
        AtomicInteger received = new AtomicInteger();
        Map<Integer, Boolean> got = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> streams = new ArrayList<>();
        AtomicInteger connected = new AtomicInteger();
        HttpClient sse = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < clients; i++) {
            int id = i;
            streams.add(sse.sendAsync(HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/api/stream")).GET().build(),
                            HttpResponse.BodyHandlers.ofLines())
                    .thenAcceptAsync(r -> {
                        connected.incrementAndGet();
                        r.body().forEach(line -> {
                            if (line.contains(device) && got.putIfAbsent(id, true) == null) {
                                received.incrementAndGet();
                            }
                        });
                    }, READERS));
        }
        try {
            Poll.until("200 live-feed clients connected", Duration.ofSeconds(60), () -> connected.get() == clients);
            long t0 = System.nanoTime();
            HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/api/measurements/latest/"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            long apiMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(api.statusCode()).isEqualTo(200);
            HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/webhook/" + device))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"power\":10,\"voltage\":230,\"current\":0.1,\"energy\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(200);
            Poll.until("the reading on every one of " + clients + " live feeds (" + received + " so far)",
                    Duration.ofSeconds(60), () -> received.get() == clients);
            OUT.println("RELIABILITY [SSE] " + clients + " clients each received the reading; REST answered in " + apiMs
                    + " ms meanwhile");
            assertThat(apiMs).as("a REST request while 200 streams are open").isLessThan(5_000);
        } finally {
            streams.forEach(f -> f.cancel(true));
            sse.shutdownNow();
        }
    }

    @Test
    void sqlInjectionLookingParametersAreRefusedOrBoundAndTablesStayIntact() throws Exception {
        Map<String, Long> before = tableCounts();
        String[] payloads = {"x' or '1'='1", "'; drop table measurement; --", "1; delete from alert", "\" or 1=1 --",
                "bay-1' union select * from pg_user --", "2026-01-01'); drop table measurement_1m; --", "%27", "\\'",
                "bay-1\u0000", "$$; drop table measurement; $$"};
        int refused = 0;
        for (String p : payloads) {
            String q = URLEncoder.encode(p, StandardCharsets.UTF_8);
            for (String path : List.of("/api/measurements/?device=" + q, "/api/measurements/?start=" + q,
                    "/api/measurements/latest/?limit=" + q, "/api/aggregates/?device=" + q + "&granularity=1m",
                    "/api/aggregates/?granularity=" + q, "/api/alerts/?device=" + q, "/api/devices/" + q,
                    "/api/measurements.csv?device=" + q + "&end=" + q)) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.queryUrl() + path))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path + " -> " + r.body()).isBetween(200, 499);
                if (r.statusCode() >= 400) {
                    refused++;
                }
            }
            // A device's name is free text: stored as given, never executed.
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(stack.queryUrl() + "/api/devices/inj-1"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + stack.adminToken())
                    .PUT(HttpRequest.BodyPublishers.ofString(io.wattstream.model.Json.MAPPER
                            .writeValueAsString(Map.of("name", p.replace("\u0000", ""), "site", p.replace("\u0000", "")))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as("PUT name " + p + " -> " + put.body()).isBetween(200, 499).isNotIn(401, 403);
        }
        Map<String, Long> after = tableCounts();
        OUT.println("RELIABILITY [SQL injection] " + payloads.length * 8 + " requests, " + refused
                + " refused with 400/404, table row counts before " + before + " after " + after);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after).isEqualTo(before);
    }

    @Test
    void deviceTokensAreEnforcedAndAWrongTokenDoesNotRevealWhichDevicesExist() throws Exception {
        GatewayApp guarded = GatewayApp.start(Config.just(ConfigSources.create(Map.of(
                "server.host", "127.0.0.1",
                "server.port", "0",
                "app.kafka.bootstrap", stack.bootstrapServers(),
                "app.raw-topic", stack.rawTopic(),
                "app.tokens", "tok-dev-1:right-token-1,tok-dev-2:right-token-2"))));
        try {
            String base = "http://127.0.0.1:" + guarded.port() + "/webhook/";
            String reading = "{\"power\":10,\"voltage\":230,\"current\":0.1,\"energy\":1}";
            HttpResponse<String> ok = post(base + "tok-dev-1", reading, "Bearer right-token-1");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            HttpResponse<String> okQuery = post(base + "tok-dev-1?token=right-token-1", reading, null);
            assertThat(okQuery.statusCode()).as(okQuery.body()).isEqualTo(200);

            HttpResponse<String> wrong = post(base + "tok-dev-1", reading, "Bearer wrong-token");
            HttpResponse<String> otherDevicesToken = post(base + "tok-dev-1", reading, "Bearer right-token-2");
            HttpResponse<String> unknown = post(base + "no-such-device", reading, "Bearer wrong-token");
            HttpResponse<String> unknownWithAValidToken = post(base + "no-such-device", reading, "Bearer right-token-1");
            HttpResponse<String> none = post(base + "tok-dev-1", reading, null);
            for (HttpResponse<String> r : List.of(wrong, otherDevicesToken, unknown, unknownWithAValidToken, none)) {
                assertThat(r.statusCode()).isEqualTo(401);
                assertThat(r.body()).isEqualTo(wrong.body());
                assertThat(r.headers().firstValue("WWW-Authenticate")).isEqualTo(wrong.headers().firstValue("WWW-Authenticate"));
                assertThat(r.body()).doesNotContain("tok-dev", "no-such-device", "right-token", "wrong-token");
            }
            OUT.println("RELIABILITY [tokens] right token 200; wrong token, other device's token, unknown device, "
                    + "no token: all 401 with the same body " + wrong.body());
        } finally {
            guarded.close();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static HttpResponse<String> post(String url, String json, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Long> tableCounts() throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = stack.postgres().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("measurement", "alert", "measurement_1m", "measurement_1h")) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) from pg_tables where schemaname = 'public'")) {
                rs.next();
                counts.put("(tables)", rs.getLong(1));
            }
        }
        return counts;
    }

    private List<byte[]> rawTopicValues() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(stack.rawTopic()).stream()
                    .map(p -> new TopicPartition(stack.rawTopic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<byte[]> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
            return out;
        }
    }

    /** One request made of hostile parts: valid-looking readings mixed with garbage of every kind. */
    private static byte[] fuzzedRequest(Random r) {
        String[] methods = {"GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "G\u00e9T", "", "X".repeat(300)};
        String[] devices = {"bay-1", "shellypro1pm-a8032ab1c2d3", "%00", "..%2F..%2Fetc", "%C3%A9t%C3%A9", "a".repeat(70),
                "%24%7Bdevice%7D", "x%27%3Bdrop", "%F0%9F%94%8C", "", "%", "%ZZ"};
        String[] values = {"1", "-0", "1e309", "NaN", "Infinity", "1e-400", "99999999999999999999999", "230.5", "%00", "",
                "%2B5", "0x1F", "abc", "1,5", "1.5.5", "-1", "100001", "3500.1", "%E2%82%AC"};
        String[] fields = {"power", "apower", "voltage", "current", "energy", "ts", "timestamp", "device", "device_id",
                "token", "freq", "pf", "temperature", "output", "x"};
        String[] types = {"application/json", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=latin1",
                "", "multipart/form-data; boundary=x", "application/json\u0000"};
        String method = methods[r.nextInt(methods.length)];
        StringBuilder query = new StringBuilder();
        int nq = r.nextInt(7);
        for (int i = 0; i < nq; i++) {
            query.append(i == 0 ? "?" : "&").append(fields[r.nextInt(fields.length)]).append('=')
                    .append(values[r.nextInt(values.length)]);
        }
        boolean full = r.nextInt(3) == 0;
        if (full) {
            query.setLength(0);
            query.append(String.format(java.util.Locale.ROOT, "?power=%d&voltage=%d&current=%d&energy=%d", r.nextInt(4000),
                    200 + r.nextInt(40), r.nextInt(20), r.nextInt(10000)));
        }
        String path = "/webhook/" + devices[r.nextInt(devices.length)] + query;
        byte[] body = fuzzedBody(r, fields, values);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String type = types[r.nextInt(types.length)];
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n")
                + (method.equals("GET") && r.nextBoolean() ? "" : "Content-Length: " + body.length + "\r\n")
                + "Connection: close\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        if (!method.equals("GET") || head.contains("Content-Length")) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static byte[] fuzzedBody(Random r, String[] fields, String[] values) {
        switch (r.nextInt(5)) {
            case 0 -> {
                byte[] b = new byte[r.nextInt(300)];
                r.nextBytes(b);
                return b;
            }
            case 1 -> {
                StringBuilder json = new StringBuilder("{");
                int n = r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    json.append(i == 0 ? "" : ",").append('"').append(fields[r.nextInt(fields.length)]).append("\":")
                            .append(r.nextBoolean() ? values[r.nextInt(values.length)] : "\"" + values[r.nextInt(values.length)] + "\"");
                }
                return RawHttp.bytes(json.append("}").toString());
            }
            case 2 -> {
                return RawHttp.bytes(String.format(java.util.Locale.ROOT,
                        "{\"power\":%d.%d,\"voltage\":%d,\"current\":%d,\"energy\":%d}", r.nextInt(5000), r.nextInt(10),
                        200 + r.nextInt(40), r.nextInt(20), r.nextInt(100000)));
            }
            case 3 -> {
                return RawHttp.bytes("[".repeat(r.nextInt(5000)) + "{\"power\":1}");
            }
            default -> {
                return RawHttp.bytes("{\"src\":\"bay-2\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":" + values[r.nextInt(values.length)]
                        + ",\"switch:0\":{\"apower\":" + values[r.nextInt(values.length)] + "}}}");
            }
        }
    }
}
