package io.wattstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.Dirs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in headless Chromium against the whole pipeline: readings posted to the gateway go
 * through Kafka, the stream processor, the sink and the query API to the page.
 */
@ExtendWith(Chromium.Required.class)
class DashboardIT {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardIT.class);
    private static final String XSS_NAME = "<img src=x onerror=alert(1)>";
    private static final String CHART_DEVICE = "e2e-chart";

    private static Pipeline pipeline;
    private static ChromeDriver browser;
    private static Path profile;
    private static final List<String> consoleLog = new ArrayList<>();
    private static double energy = 1000;

    @BeforeAll
    static void start() throws Exception {
        Chromium.requireInstalled();
        pipeline = Pipeline.start();
        profile = Files.createTempDirectory("wattstream-chromium-");
        browser = Chromium.start(profile);
        postChartHistory();
        openDashboard();
        // The first reading also warms up every hop; the latency assertions below are for a running system.
        waitFor(Duration.ofSeconds(90), "the warm-up reading in the table", () -> {
            if (latestRow("e2e-warmup") != null) {
                return true;
            }
            untilAccepted(() -> post("e2e-warmup", 100));
            waitQuietly(Duration.ofSeconds(3), () -> latestRow("e2e-warmup") != null);
            return latestRow("e2e-warmup") != null;
        });
    }

    /**
     * Ten minutes of readings of one device, one every 20 s, timed by the device. Posted before any
     * other reading: the stream processor only aggregates readings within a window's grace period of
     * the newest one it has seen, so this history must come first to have its minutes aggregated.
     */
    private static void postChartHistory() {
        Instant start = Instant.now().minusSeconds(600);
        for (int i = 0; i < 30; i++) {
            double power = 1500 + 1200 * Math.sin(i / 4.0);
            double voltage = 230 + 2 * Math.cos(i / 3.0);
            energy += 1;
            Instant at = start.plusSeconds(20L * i);
            double counter = energy;
            untilAccepted(() -> pipeline.postReading(CHART_DEVICE, power, voltage, power / voltage, counter, at));
        }
    }

    /** Right after start-up the gateway may still answer 503 (broker metadata not ready): try again. */
    private static void untilAccepted(Runnable post) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                post.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("Gateway not accepting yet: {}", e.getMessage());
            }
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                screenshot("dashboard-desktop.png", 1280);
                screenshot("dashboard-phone.png", 390);
            }
        } catch (Exception e) {
            LOG.warn("Could not save screenshots: {}", e.toString());
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (profile != null) {
                Dirs.deleteRecursively(profile);
            }
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    @AfterEach
    void pageLoggedNoJavaScriptError() {
        assertThat(severeConsoleEntries()).as("errors in the browser console").isEmpty();
    }

    @Test
    void readingPostedToTheGatewayAppearsInTheTableWithinTwoSeconds() {
        post("e2e-table", 1234.5, 231.2, 5.34);
        long posted = System.nanoTime();

        waitFor(Duration.ofSeconds(2), "the reading in the latest-readings table", () -> {
            String row = latestRow("e2e-table");
            return row != null && row.contains("1,234.5");
        });

        LOG.info("Reading visible {} ms after the gateway accepted it", (System.nanoTime() - posted) / 1_000_000);
        assertThat(latestRow("e2e-table")).contains("231.2", "5.34", "Normal");
        assertThat(text("#connection")).isEqualTo("Live");
    }

    @Test
    void overThresholdReadingShowsTheBannerAndALaterNormalReadingClearsIt() {
        String device = "e2e-alert";
        pipeline.putDevice(device, "{\"name\":\"Garage charger\",\"site\":\"Garage\",\"threshold_w\":2000}");
        post(device, 500);
        waitFor(Duration.ofSeconds(10), "the device's own threshold in the device list", () -> {
            String row = deviceRow(device);
            return row != null && row.contains("Garage charger") && row.contains("2,000");
        });
        assertThat(text("#power-alerts")).isEmpty();

        untilBannerShows(device, "Garage charger", 2500);
        assertThat(text("#power-alerts")).contains("Garage charger", "2,500 W", "2,000 W");
        assertThat(text("#announcer")).as("what a screen reader hears").contains("Over threshold: Garage charger");
        assertThat(js("return document.querySelector(\"#latest tbody tr[data-device-id='e2e-alert'].over\") !== null"))
                .as("the offending row is highlighted").isEqualTo(true);
        assertThat(latestRow(device)).contains("Over threshold");
        assertThat(deviceRow(device)).contains("Over threshold");

        post(device, 800);
        waitFor(Duration.ofSeconds(5), "the banner to clear", () -> !bannerShows("Garage charger"));
        assertThat(text("#announcer")).doesNotContain("Garage charger");
        waitFor(Duration.ofSeconds(2), "the normal reading in the table", () -> latestRow(device).contains("| 800 |"));
        assertThat(latestRow(device)).contains("Normal");
        assertThat(deviceRow(device)).contains("Normal");
        waitFor(Duration.ofSeconds(5), "the cleared alert in the history", () ->
                rowTexts("#alert-history").stream().anyMatch(r -> r.contains("Garage charger") && r.contains("Cleared")));
    }

    @Test
    void anAdminLogsInAcknowledgesAnAlertAndTheStoredRowShowsItAfterAReload() {
        String device = "e2e-ack";
        pipeline.putDevice(device, "{\"name\":\"Ack bay\",\"site\":\"Garage\",\"threshold_w\":1000}");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!bannerShows("Ack bay")) {
            assertThat(System.nanoTime()).as("banner shown before the deadline").isLessThan(deadline);
            post(device, 1500);
            waitQuietly(Duration.ofSeconds(2), () -> bannerShows("Ack bay"));
        }
        waitFor(Duration.ofSeconds(10), "the raised alert in the history", () -> historyRow("Ack bay") != null);
        assertThat(js("return document.querySelector('#alert-history button.ack') === null"))
                .as("no Ack button before an admin logs in").isEqualTo(true);

        // A wrong token: the same refusal as any, and nobody logged in.
        login("wst_" + "not-a-token-of-this-stack-0123456789abcdef");
        waitFor(Duration.ofSeconds(5), "the log-in error", () -> !text("#login-error").isEmpty());
        assertThat(text("#login-error")).contains("authentication required");
        severeConsoleEntries().forEach(e -> assertThat(e).contains("/api/session").contains("401"));

        login(pipeline.adminToken());
        waitFor(Duration.ofSeconds(5), "logged in", () -> (Boolean) js("return !document.getElementById('logged-in').hidden"));
        assertThat(text("#session-who")).isEqualTo("admin (admin)");
        assertThat(browser.getCurrentUrl()).as("the token stays out of the URL").doesNotContain(pipeline.adminToken());
        assertThat((String) js("return document.cookie")).as("no script reads the session cookie").doesNotContain("wattstream_session");
        assertThat((String) js("return document.getElementById('login-token').value")).isEmpty();

        waitFor(Duration.ofSeconds(5), "the Ack button", () -> (Boolean) js(
                "return [...document.querySelectorAll('#alert-history tbody tr')].some(r => r.textContent.includes('Ack bay')"
                        + " && r.querySelector('button.ack'))"));
        js("[...document.querySelectorAll('#alert-history tbody tr')].find(r => r.textContent.includes('Ack bay')"
                + " && r.querySelector('button.ack')).querySelector('button.ack').click()");
        waitFor(Duration.ofSeconds(5), "the acknowledgement on the row", () -> historyRow("Ack bay").contains("by admin"));

        // From the database now: the sink wrote the acknowledgement into the alert's row.
        long stored = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            assertThat(System.nanoTime()).as("acknowledgement stored before the deadline").isLessThan(stored);
            browser.navigate().refresh();
            waitQuietly(Duration.ofSeconds(3), () -> {
                String row = historyRow("Ack bay");
                return row != null && row.contains("by admin");
            });
        } while (historyRow("Ack bay") == null || !historyRow("Ack bay").contains("by admin"));
        assertThat(text("#session-who")).as("the session outlives a reload").isEqualTo("admin (admin)");

        js("document.getElementById('logout').click()");
        waitFor(Duration.ofSeconds(5), "logged out", () -> (Boolean) js("return !document.getElementById('login-form').hidden"));
        // The tables are redrawn on the next frame after the session changes.
        waitFor(Duration.ofSeconds(5), "no Ack button after logging out",
                () -> (Boolean) js("return document.querySelector('#alert-history button.ack') === null"));
        openDashboard();
    }

    private static void login(String token) {
        js("const f = document.getElementById('login-token'); f.value = arguments[0];"
                + " document.getElementById('login-form').requestSubmit()", token);
    }

    /** The history row of the newest alert of the device named {@code name} (cells joined by " | "), or null. */
    private static String historyRow(String name) {
        return rowTexts("#alert-history").stream().filter(r -> r.contains(name)).findFirst().orElse(null);
    }

    @Test
    void chartShowsTheSelectedDevicesPoints() {
        String device = CHART_DEVICE;
        waitFor(Duration.ofSeconds(5), "the device in the chart selector",
                () -> (Boolean) js("return [...document.querySelectorAll('#chart-device option')].some(o => o.value === 'e2e-chart')"));
        new Select(browser.findElement(By.id("chart-device"))).selectByValue(device);

        waitFor(Duration.ofSeconds(5), "the live points", () -> chartPoints() >= 30);
        assertThat(text("#chart-summary")).contains("e2e-chart", "readings");
        assertThat(js("return document.querySelectorAll('#chart canvas').length")).isEqualTo(1L);

        // Hovering shows values in the legend; dragging zooms; "Reset zoom" goes back.
        WebElement plot = browser.findElement(By.cssSelector("#chart .u-over"));
        int width = plot.getSize().getWidth();
        new Actions(browser).moveToElement(plot, width / 4, 0).perform();
        waitFor(Duration.ofSeconds(2), "a power value in the legend on hover", () -> ((String) js(
                "return document.querySelector('#chart .u-legend .u-series:nth-child(2) .u-value').textContent"))
                .matches("[0-9,.]+ W"));
        new Actions(browser).moveToElement(plot, -width / 8, 0).clickAndHold().moveByOffset(width / 4, 0).release().perform();
        waitFor(Duration.ofSeconds(2), "the chart zoomed", () -> "true".equals(js("return document.getElementById('chart').dataset.zoomed")));
        browser.findElement(By.id("reset-zoom")).click();
        waitFor(Duration.ofSeconds(2), "the zoom reset", () -> "false".equals(js("return document.getElementById('chart').dataset.zoomed")));

        browser.findElement(By.id("show-voltage")).click();
        assertThat(js("return document.querySelectorAll('#chart .u-legend .u-series:not(.u-off)').length"))
                .as("time, power, threshold and voltage shown").isEqualTo(4L);

        // 1 hour comes from the aggregates: closed minutes from PostgreSQL, the open one from the stream
        // processor. Wait until the sink has stored the closed minutes, then show them.
        long[] windows = {0};
        waitFor(Duration.ofSeconds(30), "the closed 1-minute windows in the API", () -> {
            windows[0] = Pattern.compile("\"window_start\"")
                    .matcher(pipeline.fetch("api/aggregates/?window=1m&device=" + device).body()).results().count();
            return windows[0] >= 8;
        });
        browser.findElement(By.cssSelector("input[name=range][value='1h']")).click();
        waitFor(Duration.ofSeconds(5), "the 1-minute aggregates in the chart", () -> chartPoints() >= windows[0]
                && text("#chart-summary").contains("1-minute averages"));
        // Custom dates: the last two hours, entered as local times.
        browser.findElement(By.cssSelector("input[name=range][value=custom]")).click();
        js("const local = d => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);"
                + " document.getElementById('custom-from').value = local(new Date(Date.now() - 2 * 3600000));"
                + " document.getElementById('custom-to').value = local(new Date(Date.now() + 60000));");
        browser.findElement(By.id("custom-apply")).click();
        waitFor(Duration.ofSeconds(5), "the custom range", () -> chartPoints() >= windows[0]
                && text("#chart-summary").contains("1-minute averages"));

        browser.findElement(By.cssSelector("input[name=range][value=live]")).click();
        // Reloaded from the stored history this time.
        waitFor(Duration.ofSeconds(5), "the live points again", () -> chartPoints() >= 30);
    }

    @Test
    void aChargingSessionTicksInTheNowChargingPanelThenLandsInTheSessionsTableTheExportAndTheDailyChart() {
        String device = "e2e-charger";
        pipeline.putTariff("e2e-garage", "{\"site\":\"E2E Garage\",\"currency\":\"EUR\",\"time_zone\":\"Europe/Berlin\","
                + "\"valid_from\":\"2020-01-01\",\"zones\":[{\"name\":\"flat\",\"price_per_kwh\":0.3}]}");
        pipeline.putDevice(device, "{\"name\":\"Garage charger\",\"site\":\"E2E Garage\",\"session_start_after_s\":0,"
                + "\"session_end_after_s\":4}");
        // Idle readings until the stream processor prices them: the tariff and the levels are in force.
        waitFor(Duration.ofSeconds(30), "a priced idle reading", () -> {
            post(device, 0);
            waitQuietly(Duration.ofMillis(700), () -> pipeline.fetch("api/measurements/latest/?limit=1&device=" + device)
                    .body().contains("\"currency\":\"EUR\""));
            return pipeline.fetch("api/measurements/latest/?limit=1&device=" + device).body().contains("\"currency\":\"EUR\"");
        });

        waitFor(Duration.ofSeconds(20), "the session in the now-charging panel", () -> {
            post(device, 3000, 230, 13.0);
            waitQuietly(Duration.ofMillis(500), () -> chargingCard(device) != null);
            return chargingCard(device) != null;
        });
        for (int i = 0; i < 3; i++) {
            post(device, 3000, 230, 13.0);
        }
        waitFor(Duration.ofSeconds(5), "energy and cost so far", () -> {
            String card = chargingCard(device);
            return card != null && card.contains("Garage charger") && card.matches("(?s).*Energy[0-9.,]+ kWh.*")
                    && !card.matches("(?s).*Energy0 kWh.*") && card.matches("(?s).*Cost€[0-9.,]+.*");
        });
        String duration = chargingDuration(device);
        waitFor(Duration.ofSeconds(3), "the duration ticking without a new reading",
                () -> !duration.equals(chargingDuration(device)));

        // Standby for longer than the meter's 4 s end time closes the session.
        waitFor(Duration.ofSeconds(30), "the closed session in the sessions table", () -> {
            post(device, 0);
            waitQuietly(Duration.ofMillis(700), () -> false);
            String row = rowText("#sessions", device);
            return row != null && row.contains("Closed");
        });
        waitFor(Duration.ofSeconds(5), "the panel without the session", () -> chargingCard(device) == null);
        String row = rowText("#sessions", device);
        assertThat(row).contains("Garage charger").containsPattern("€0\\.0[0-9]");

        assertThat((String) js("return document.getElementById('sessions-export').href"))
                .isEqualTo(pipeline.dashboardUrl() + "api/sessions.csv");
        HttpResponse<String> csv = pipeline.fetch("api/sessions.csv?device=" + device);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("session_id,").contains(device, "Garage charger", ",EUR,", "CLOSED");

        new Select(browser.findElement(By.id("chart-device"))).selectByValue(device);
        waitFor(Duration.ofSeconds(10), "today in the daily chart", () -> !"0".equals(
                js("return document.getElementById('daily-chart').dataset.days")));
        assertThat(text("#daily-summary")).contains("Garage charger", "kWh", "€");
        assertThat(js("return document.querySelectorAll('#daily-chart canvas').length")).isEqualTo(1L);
    }

    /** The now-charging card of a device as text, or null. */
    private static String chargingCard(String device) {
        return (String) js("const li = document.querySelector('#charging li[data-device-id=\"' + arguments[0] + '\"]');"
                + " return li ? li.textContent : null", device);
    }

    private static String chargingDuration(String device) {
        return (String) js("const d = document.querySelector('#charging li[data-device-id=\"' + arguments[0] + '\"] .duration');"
                + " return d ? d.textContent : ''", device);
    }

    @Test
    void deviceNamesFromDataAreShownAsTextNeverAsMarkup() {
        String device = "e2e-xss";
        pipeline.putDevice(device, "{\"name\":\"<img src=x onerror=alert(1)>\",\"site\":\"<b>Lab</b>\"}");
        post(device, 300);

        waitFor(Duration.ofSeconds(10), "the device name in the device list",
                () -> XSS_NAME.equals(js("const r = document.querySelector(\"#devices tbody tr[data-device-id='e2e-xss']\");"
                        + " return r && r.querySelector('.device-name').textContent")));
        waitFor(Duration.ofSeconds(5), "the device name in the latest readings",
                () -> XSS_NAME.equals(js("const r = document.querySelector(\"#latest tbody tr[data-device-id='e2e-xss']\");"
                        + " return r && r.querySelector('.device-name').textContent")));
        assertThat(deviceRow(device)).contains("<b>Lab</b>");
        assertThat(js("return document.querySelectorAll('img, main b').length")).as("no element made from data").isEqualTo(0L);
        assertThat((Boolean) js("return [...document.querySelectorAll('#chart-device option')].some(o => o.textContent.includes('<img'))"))
                .isTrue();
        assertNoDialog();
    }

    @Test
    void freshPageLoadsWithoutJavaScriptErrors() {
        post("e2e-reload", 42);
        // The chart of a fresh page reads stored history: wait until the reading is stored, or the page can load
        // between the feed event and the row and rightly show no points.
        waitFor(Duration.ofSeconds(30), "the reading stored", () -> pipeline.fetch("api/measurements/?device=e2e-reload")
                .body().contains("\"count\":1"));
        openDashboard();
        waitFor(Duration.ofSeconds(15), "the reading posted before the reload", () -> latestRow("e2e-reload") != null);
        waitFor(Duration.ofSeconds(10), "chart points after a reload", () -> chartPoints() > 0);
        assertThat(severeConsoleEntries()).isEmpty();
    }

    @Test
    void pollsEveryTwoSecondsWhileTheStreamIsUnreachableAndSaysOfflineWhenTheApiIs() {
        try {
            block("*/api/stream*");
            browser.get(pipeline.dashboardUrl());
            waitFor(Duration.ofSeconds(10), "the polling state", () -> "Polling every 2 s".equals(text("#connection")));
            post("e2e-polling", 777);
            waitFor(Duration.ofSeconds(4), "the reading fetched by polling", () -> {
                String row = latestRow("e2e-polling");
                return row != null && row.contains("777");
            });

            block("*/api/*");
            waitFor(Duration.ofSeconds(6), "the offline state", () -> "offline".equals(
                    js("return document.getElementById('connection').dataset.state")));
            assertThat(text("#connection")).startsWith("Offline");
        } finally {
            block();
            // Requests refused on purpose above are logged as failed loads; they are not page errors.
            severeConsoleEntries().forEach(e -> assertThat(e).contains("/api/").contains("ERR_BLOCKED_BY_CLIENT"));
        }
        openDashboard();
    }

    @Test
    void servesThePageItsModulesAndTheChartLibraryWithRevalidation() {
        for (String path : List.of("", "js/main.js", "css/dashboard.css", "webjars/uplot/dist/uPlot.iife.min.js")) {
            HttpResponse<String> first = pipeline.fetch(path);
            assertThat(first.statusCode()).as("GET /%s", path).isEqualTo(200);
            if (path.endsWith(".js")) {
                // Browsers refuse to run a module served with any other type.
                assertThat(first.headers().firstValue("Content-Type").orElse("")).as(path).contains("javascript");
            }
            // A reload asks "has it changed?": the answer must be 304 or the file, never an error.
            String etag = first.headers().firstValue("ETag").orElse(null);
            if (etag != null) {
                assertThat(pipeline.fetch(path, "If-None-Match", etag).statusCode()).as("revalidating /%s", path)
                        .isIn(200, 304);
            }
        }
        assertThat(pipeline.fetch("no-such-file.js").statusCode()).isEqualTo(404);
    }

    @Test
    void fitsAPhoneScreenWithoutSidewaysScrolling() {
        try {
            browser.manage().window().setSize(new Dimension(390, 844));
            waitFor(Duration.ofSeconds(5), "the phone layout", () -> (Long) js("return window.innerWidth") <= 400);
            assertThat((Long) js("return document.documentElement.scrollWidth - window.innerWidth"))
                    .as("horizontal overflow in px").isLessThanOrEqualTo(0L);
            assertThat(js("return [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth)"
                    + ".map(w => w.querySelector('table').id)")).as("tables that scroll sideways").isEqualTo(List.of());
            assertThat(js("return getComputedStyle(document.querySelector('#latest thead')).position"))
                    .as("table rows stacked as cards").isEqualTo("absolute");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    void aDeviceFirstSeenInTheFeedNamesNoThresholdUntilTheDeviceListHasIt() {
        // The page's own store module, fed as the feed feeds it: a reading over threshold of a device the
        // device list has not had yet. Naming the default (3,500 W) there would be a wrong figure when the
        // device has its own; only the device list knows.
        @SuppressWarnings("unchecked")
        List<Object> thresholds = (List<Object>) js("return import(new URL('js/store.js', document.baseURI).href).then(m => {"
                + " const s = new m.Store(); s.setConfig({alert_threshold_w: 3500});"
                + " s.ingestReading({device_id: 'first-seen', timestamp: '2026-12-02T00:00:00Z', power: 2500, over_threshold: true});"
                + " const before = [s.powerAlerts()[0].threshold, s.thresholdOf('first-seen')];"
                + " s.setDevices([{device_id: 'first-seen', threshold_w: 2000, effective_threshold_w: 2000, registered: true},"
                + "   {device_id: 'unregistered', effective_threshold_w: 3500}]);"
                + " return [...before, s.powerAlerts()[0].threshold, s.thresholdOf('unregistered')]; })");
        assertThat(thresholds).as("banner and device list before the device list has the device, then after")
                .containsExactly(null, null, 2000L, 3500L);
    }

    @Test
    void thresholdChangeUpdatesOrClearsTheBannerWithoutANewReading() {
        String device = "e2e-rethreshold";
        pipeline.putDevice(device, "{\"name\":\"Depot charger\",\"threshold_w\":2000}");
        untilBannerShows(device, "Depot charger", 2500);
        // The live feed shows the reading before its alert (read committed) and before the device list has
        // the new device's threshold, so for a moment the banner names no threshold.
        waitFor(Duration.ofSeconds(10), "the banner on the device's threshold", () -> bannerItem(device).contains("2,000 W"));
        assertThat(bannerItem(device)).contains("2,500 W");

        // Still over the new level: the same alert on the new threshold, in the banner and the device list.
        pipeline.putDevice(device, "{\"name\":\"Depot charger\",\"threshold_w\":2200}");
        waitFor(Duration.ofSeconds(15), "the banner on the new threshold", () -> bannerItem(device).contains("2,200 W"));
        assertThat(bannerItem(device)).contains("2,500 W").doesNotContain("2,000 W");
        waitFor(Duration.ofSeconds(10), "the device list on the new threshold", () -> deviceRow(device).contains("2,200"));
        assertThat(deviceRow(device)).contains("Over threshold");

        // Now above the power: cleared at once, with no reading since.
        pipeline.putDevice(device, "{\"name\":\"Depot charger\",\"threshold_w\":7400}");
        waitFor(Duration.ofSeconds(15), "the banner to clear", () -> !bannerShows("Depot charger"));
        waitFor(Duration.ofSeconds(10), "the device list on 7,400 W", () -> deviceRow(device).contains("7,400"));
        assertThat(deviceRow(device)).doesNotContain("Over threshold");
        assertThat(latestRow(device)).as("its newest reading, judged again").doesNotContain("Over threshold");
        waitFor(Duration.ofSeconds(10), "the cleared alert in the history on the new threshold", () ->
                rowTexts("#alert-history").stream().anyMatch(r -> r.contains("Depot charger") && r.contains("Cleared")
                        && r.contains("7,400")));
    }

    @Test
    void silentDeviceIsShownStaleWithTheAgeOfItsLastReadingBeforeItGoesOffline() {
        String device = "e2e-stale";
        post(device, 640);
        long posted = System.nanoTime();
        waitFor(Duration.ofSeconds(10), "the fresh device", () -> {
            String row = deviceRow(device);
            return row != null && row.contains("640");
        });
        assertThat(deviceRow(device)).contains("Normal").doesNotContain("Stale");

        Duration staleAfter = Pipeline.OFFLINE_AFTER.dividedBy(2);
        waitFor(staleAfter.plusSeconds(15), "the device shown stale", () -> deviceRow(device).contains("Stale"));
        double silentS = (System.nanoTime() - posted) / 1e9;
        String row = deviceRow(device);
        assertThat(silentS).as("stale only after the stale time").isGreaterThanOrEqualTo(staleAfter.toSeconds());
        assertThat(row).doesNotContain("Normal").containsPattern("last reading [0-9]+ s ago").contains("640");
        assertThat(latestRow(device)).as("its newest reading is no live value either").contains("Stale")
                .doesNotContain("Normal");
        assertThat(text("#offline-alerts")).as("the offline alert has not fired yet").doesNotContain(device);
    }

    @Test
    void relayStateAndTemperatureAreShownForEachDevice() {
        String device = "e2e-relay";
        energy += 1;
        pipeline.postJson(String.format(java.util.Locale.ROOT, "{\"device_id\":\"%s\",\"power\":1800,\"voltage\":231,"
                + "\"current\":7.8,\"energy\":%.1f,\"output\":true,\"temperature_c\":41.5}", device, energy));
        waitFor(Duration.ofSeconds(10), "relay and temperature in the device list", () -> {
            String row = deviceRow(device);
            return row != null && row.contains("| On |") && row.contains("| 41.5 |");
        });

        energy += 1;
        pipeline.postJson(String.format(java.util.Locale.ROOT, "{\"device_id\":\"%s\",\"power\":0,\"voltage\":231,"
                + "\"current\":0,\"energy\":%.1f,\"output\":false,\"temperature_c\":38.0}", device, energy));
        waitFor(Duration.ofSeconds(10), "the relay switched off", () -> deviceRow(device).contains("| Off |")
                && deviceRow(device).contains("| 38 |"));
        assertThat(js("return [...document.querySelectorAll('#devices thead th')].map(th => th.textContent)"))
                .asString().contains("Relay", "Temperature (°C)");
    }

    @Test
    void csvButtonDownloadsTheSelectedDevicesReadings() throws Exception {
        Path downloads = Files.createTempDirectory("wattstream-downloads-");
        try {
            browser.executeCdpCommand("Browser.setDownloadBehavior",
                    java.util.Map.of("behavior", "allow", "downloadPath", downloads.toString()));
            waitFor(Duration.ofSeconds(5), "the device in the chart selector",
                    () -> (Boolean) js("return [...document.querySelectorAll('#chart-device option')].some(o => o.value === 'e2e-chart')"));
            new Select(browser.findElement(By.id("chart-device"))).selectByValue(CHART_DEVICE);
            browser.findElement(By.cssSelector("input[name=range][value='1h']")).click();

            browser.findElement(By.id("csv-export")).click();

            Path file = downloads.resolve("measurements.csv");
            waitFor(Duration.ofSeconds(15), "the downloaded export", () -> Files.exists(file) && !hasPartialDownload(downloads));
            List<String> lines = Files.readAllLines(file);
            assertThat(lines.get(0)).startsWith("power,voltage,current,energy,timestamp,device_id");
            List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
            assertThat(rows).as("the chart device's 30 readings of the last hour").hasSize(30)
                    .allSatisfy(r -> assertThat(r.split(",")[5]).isEqualTo(CHART_DEVICE));
        } finally {
            browser.executeCdpCommand("Browser.setDownloadBehavior", java.util.Map.of("behavior", "default"));
            browser.findElement(By.cssSelector("input[name=range][value=live]")).click();
            Dirs.deleteRecursively(downloads);
        }
    }

    @Test
    void sixtyCharacterDeviceNameNeverMakesThePhoneLayoutScrollSideways() {
        String device = "e2e-long-name";
        String name = ("TiefgarageNordLadepunktZweiundvierzigWallboxLinksEbeneZwei" + "ABCDEFGHIJ").substring(0, 60);
        pipeline.putDevice(device, "{\"name\":\"" + name + "\",\"site\":\"" + name + "\",\"threshold_w\":1000}");
        try {
            // Over its threshold, so the long name is in the banner too.
            untilBannerShows(device, name, 1500);
            waitFor(Duration.ofSeconds(10), "the long name in the chart selector", () -> (Boolean) js(
                    "return [...document.querySelectorAll('#chart-device option')].some(o => o.textContent.includes(arguments[0]))", name));
            browser.manage().window().setSize(new Dimension(390, 844));
            waitFor(Duration.ofSeconds(5), "the phone layout", () -> (Long) js("return window.innerWidth") <= 400);

            assertThat((Long) js("return document.documentElement.scrollWidth - window.innerWidth"))
                    .as("horizontal overflow in px").isLessThanOrEqualTo(0L);
            assertThat((Boolean) js("return document.getElementById('chart-device').getBoundingClientRect().right <= window.innerWidth"))
                    .as("the device selector fits the screen").isTrue();
            assertThat(js("return [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth)"
                    + ".map(w => w.querySelector('table').id)")).as("tables that scroll sideways").isEqualTo(List.of());
            assertThat(js("return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right"
                    + " > window.innerWidth + 0.5 && !e.closest('.visually-hidden, thead')).map(e => e.tagName + '.' + e.className)"))
                    .as("elements reaching past the screen's edge").isEqualTo(List.of());
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
            post(device, 100);
            waitFor(Duration.ofSeconds(10), "the long name's banner to clear", () -> !bannerShows(name));
        }
    }

    // ---- helpers

    /** Posts {@code power} until the banner names the device: the stream processor learns a registry entry asynchronously. */
    private static void untilBannerShows(String device, String name, double power) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!bannerShows(name)) {
            assertThat(System.nanoTime()).as("banner for %s shown before the deadline", device).isLessThan(deadline);
            post(device, power);
            waitQuietly(Duration.ofSeconds(2), () -> bannerShows(name));
        }
    }

    private static String bannerItem(String device) {
        return (String) js("const li = document.querySelector(\"#power-alerts li[data-device-id='\" + arguments[0] + \"']\");"
                + " return li ? li.textContent : ''", device);
    }

    private static boolean hasPartialDownload(Path dir) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".crdownload"));
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static void openDashboard() {
        browser.get(pipeline.dashboardUrl());
        waitFor(Duration.ofSeconds(15), "the live connection", () -> "live".equals(js(
                "return document.getElementById('connection').dataset.state")));
    }

    /** Makes the browser refuse requests to these URL patterns (none: refuse nothing). */
    private static void block(String... urlPatterns) {
        browser.executeCdpCommand("Network.enable", java.util.Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", java.util.Map.of("urls", List.of(urlPatterns)));
    }

    private static void post(String device, double power) {
        post(device, power, 230.0, power / 230.0);
    }

    private static void post(String device, double power, double voltage, double current) {
        energy += 1;
        pipeline.postReading(device, power, voltage, current, energy);
    }

    private static boolean bannerShows(String name) {
        return (Boolean) js("const b = document.getElementById('power-alerts'); return !b.hidden && b.textContent.includes(arguments[0])", name);
    }

    private static String latestRow(String device) {
        return rowText("#latest", device);
    }

    private static String deviceRow(String device) {
        return rowText("#devices", device);
    }

    /** The first row's text (cells joined by " | "), or null; read in one script since rows re-render often. */
    private static String rowText(String table, String device) {
        return (String) js("const r = document.querySelector(arguments[0] + ' tbody tr[data-device-id=\"' + arguments[1] + '\"]');"
                + " return r ? [...r.cells].map(c => c.textContent).join(' | ') : null", table, device);
    }

    private static List<String> rowTexts(String table) {
        @SuppressWarnings("unchecked")
        List<String> rows = (List<String>) js("return [...document.querySelectorAll(arguments[0] + ' tbody tr')]"
                + ".map(r => [...r.cells].map(c => c.textContent).join(' | '))", table);
        return rows;
    }

    private static long chartPoints() {
        return Long.parseLong((String) js("return document.getElementById('chart').dataset.points"));
    }

    private static String text(String css) {
        return ((String) js("return document.querySelector(arguments[0]).textContent", css)).trim();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private static void waitFor(Duration timeout, String what, Supplier<Boolean> condition) {
        new WebDriverWait(browser, timeout, Duration.ofMillis(50))
                .withMessage(() -> "waiting " + timeout.toMillis() + " ms for " + what + "; page: " + pageState())
                .until(d -> Boolean.TRUE.equals(condition.get()));
    }

    /** What the page shows, for failure messages. */
    private static String pageState() {
        try {
            return String.valueOf(js("return JSON.stringify({connection: document.getElementById('connection').dataset.state,"
                    + " error: document.getElementById('load-error').textContent,"
                    + " latest: [...document.querySelectorAll('#latest tbody tr')].map(r => r.dataset.deviceId + '@' + r.dataset.timestamp),"
                    + " chart: document.getElementById('chart-summary').textContent})"));
        } catch (RuntimeException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }

    private static void waitQuietly(Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !Boolean.TRUE.equals(condition.get())) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static void assertNoDialog() {
        try {
            String text = browser.switchTo().alert().getText();
            throw new AssertionError("the page opened a dialog: " + text);
        } catch (NoAlertPresentException expected) {
            // no script from data ran
        }
    }

    /** Console entries at SEVERE since the last call (uncaught exceptions, failed requests). */
    private static List<String> severeConsoleEntries() {
        List<String> severe = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            consoleLog.add(e.toString());
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        return severe;
    }

    private static void screenshot(String file, int width) throws Exception {
        browser.manage().window().setSize(new Dimension(width, 900));
        long height = (Long) js("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(width, (int) Math.min(height + 100, 5000)));
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.write(target.resolve(file), browser.getScreenshotAs(OutputType.BYTES));
        LOG.info("Saved {}", target.resolve(file).toAbsolutePath());
    }
}
