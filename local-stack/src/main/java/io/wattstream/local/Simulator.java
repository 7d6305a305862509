package io.wattstream.local;

import io.wattstream.gateway.DeviceTokens;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Shelly Pro 1PM devices posting through the real gateway, in every shape the device
 * can send (flat JSON, action-URL GET, switch status, NotifyFullStatus followed by NotifyStatus
 * partials), so a fresh stack's dashboard has something to show. Every third device (the 2nd, 5th,
 * ...) keeps an outbound WebSocket to the gateway instead, as a device configured with
 * {@code Ws.SetConfig} does ({@link SimulatedWsLink}). The chargers run charging sessions (ramp,
 * plateau, pause, taper) with session times short enough to see one close within minutes, and their
 * sites get a demonstration day/night tariff, so sessions and days come with a cost.
 */
public final class Simulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);
    private static final Duration TICK = Duration.ofSeconds(2);

    private final String gatewayUrl;
    private final String queryUrl;
    private final String adminToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<SimulatedDevice> devices = new ArrayList<>();
    private final Map<String, SimulatedWsLink> links = new HashMap<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, String> deviceTokens;
    private long ticks;

    /**
     * {@code adminToken} names the devices in the registry and sets the sites' tariffs (writes);
     * {@code deviceTokens} are the gateway's {@code device:token} entries, so a simulated device that has
     * one sends it, as a real one does.
     */
    public Simulator(int count, String gatewayUrl, String queryUrl, String adminToken, String deviceTokens) {
        this.gatewayUrl = gatewayUrl;
        this.deviceTokens = DeviceTokens.entries(deviceTokens);
        this.queryUrl = queryUrl;
        this.adminToken = adminToken;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("simulator").factory());
        double tick = TICK.toMillis() / 1000.0;
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "shellypro1pm-sim%04d", i + 1);
            SimulatedDevice.Profile profile = i % 2 == 0 ? SimulatedDevice.Profile.CHARGER : SimulatedDevice.Profile.LOAD;
            // Device 2 resets its counter once; the last of three or more goes quiet for 6 minutes.
            long resetAt = i == 1 ? 45 : -1;
            boolean quiet = count >= 3 && i == count - 1;
            devices.add(new SimulatedDevice(id, profile, 42 + i, tick, resetAt, quiet ? 90 : Long.MAX_VALUE,
                    quiet ? 90 + 180 : Long.MAX_VALUE));
            if (i % 3 == 1) {
                links.put(id, new SimulatedWsLink(id, SimulatedWsLink.serverUrl(gatewayUrl, this.deviceTokens.get(id)), http,
                        scheduler));
            }
        }
    }

    public void start() {
        registerDevices();
        links.values().forEach(SimulatedWsLink::start);
        scheduler.scheduleAtFixedRate(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Simulating {} devices reporting every {} s to {} ({} over the outbound WebSocket)", devices.size(),
                TICK.toSeconds(), gatewayUrl, links.size());
    }

    @Override
    public void close() {
        links.values().forEach(SimulatedWsLink::close);
        scheduler.shutdownNow();
    }

    /**
     * Names, sites, a charger threshold above the normal session so only spikes alert, and session times
     * that fit the simulated cycle (open after 20 s, close after 2 minutes at standby).
     */
    private void registerDevices() {
        for (String site : SITES) {
            String id = "simulated-" + site.toLowerCase(Locale.ROOT).replace(' ', '-');
            send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/tariffs/" + id))
                    .header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(demoTariff(site))));
        }
        for (int i = 0; i < devices.size(); i++) {
            SimulatedDevice d = devices.get(i);
            boolean charger = i % 2 == 0;
            String body = String.format(Locale.ROOT, "{\"name\":\"%s %d\",\"site\":\"%s\",\"threshold_w\":%s%s}",
                    charger ? "Charger bay" : "Workshop load", i + 1, SITES.get(i < 4 ? 0 : 1), charger ? "4000" : "3500",
                    charger ? ",\"session_start_after_s\":20,\"session_end_after_s\":120" : "");
            send(HttpRequest.newBuilder(URI.create(queryUrl + "/api/devices/" + d.id()))
                    .header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        }
    }

    static final List<String> SITES = List.of("Depot North", "Depot South");

    /** A day/night tariff in euros for a simulated site, cheaper at night and at weekends. */
    static String demoTariff(String site) {
        return String.format(Locale.ROOT, """
                {"name":"Demo day/night","site":"%s","currency":"EUR","time_zone":"Europe/Berlin","valid_from":"2020-01-01",
                 "zones":[{"name":"night","days":["MON","TUE","WED","THU","FRI"],"from":"00:00","to":"06:00","price_per_kwh":0.24},
                          {"name":"day","days":["MON","TUE","WED","THU","FRI"],"from":"06:00","to":"22:00","price_per_kwh":0.36},
                          {"name":"night","days":["MON","TUE","WED","THU","FRI"],"from":"22:00","to":"24:00","price_per_kwh":0.24},
                          {"name":"weekend","days":["SAT","SUN"],"price_per_kwh":0.28}]}""", site);
    }

    private void tick() {
        try {
            ticks++;
            for (SimulatedDevice d : devices) {
                SimulatedDevice.Sample s = d.next();
                if (d.reporting()) {
                    SimulatedWsLink link = links.get(d.id());
                    if (link != null) {
                        link.report(s);
                    } else {
                        post(d, s);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Simulator tick failed: {}", e.toString());
        }
    }

    /** Rotates through the shapes a real installation sends. */
    private void post(SimulatedDevice d, SimulatedDevice.Sample s) {
        double ts = Instant.now().toEpochMilli() / 1000.0;
        switch ((int) (ticks % 5)) {
            case 0 -> postJson(d, String.format(Locale.ROOT,
                    "{\"device_id\":\"%s\",\"power\":%s,\"voltage\":%s,\"current\":%s,\"energy\":%s}",
                    d.id(), s.power(), s.voltage(), s.current(), s.energyWh()));
            case 1 -> send(HttpRequest.newBuilder(URI.create(String.format(Locale.ROOT,
                    "%s/webhook/?device=%s&apower=%s&voltage=%s&current=%s&energy=%s&ts=%.2f", gatewayUrl,
                    enc(d.id()), s.power(), s.voltage(), s.current(), s.energyWh(), ts))).GET(), d);
            case 2 -> postJson(d, String.format(Locale.ROOT,
                    "{\"src\":\"%s\",\"ts\":%.2f,\"switch:0\":{\"id\":0,\"output\":%s,\"apower\":%s,\"voltage\":%s,"
                            + "\"freq\":%s,\"current\":%s,\"pf\":%s,\"aenergy\":{\"total\":%s},\"temperature\":{\"tC\":%s}}}",
                    d.id(), ts, s.output(), s.power(), s.voltage(), s.freq(), s.current(), s.pf(), s.energyWh(),
                    s.temperatureC()));
            case 3 -> postJson(d, String.format(Locale.ROOT,
                    "{\"src\":\"%s\",\"dst\":\"wattstream\",\"method\":\"NotifyFullStatus\",\"params\":{\"ts\":%.2f,"
                            + "\"switch:0\":{\"id\":0,\"output\":%s,\"apower\":%s,\"voltage\":%s,\"freq\":%s,\"current\":%s,"
                            + "\"pf\":%s,\"aenergy\":{\"total\":%s},\"temperature\":{\"tC\":%s}}}}",
                    d.id(), ts, s.output(), s.power(), s.voltage(), s.freq(), s.current(), s.pf(), s.energyWh(),
                    s.temperatureC()));
            default -> postJson(d, String.format(Locale.ROOT,
                    "{\"src\":\"%s\",\"dst\":\"wattstream\",\"method\":\"NotifyStatus\",\"params\":{\"ts\":%.2f,"
                            + "\"switch:0\":{\"id\":0,\"apower\":%s,\"current\":%s,\"aenergy\":{\"total\":%s}}}}",
                    d.id(), ts, s.power(), s.current(), s.energyWh()));
        }
    }

    private void postJson(SimulatedDevice d, String body) {
        send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/webhook/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), d);
    }

    /** With the device's token, when the gateway requires one. */
    private void send(HttpRequest.Builder request, SimulatedDevice d) {
        String token = deviceTokens.get(d.id());
        send(token == null ? request : request.header("Authorization", "Bearer " + token));
    }

    private void send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                LOG.warn("Simulator: {} answered {}: {}", response.uri().getPath(), response.statusCode(), response.body());
            }
        } catch (java.io.IOException e) {
            LOG.warn("Simulator: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
