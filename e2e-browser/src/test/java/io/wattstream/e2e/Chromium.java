package io.wattstream.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through the system's chromedriver (Debian packages {@code chromium} and
 * {@code chromium-driver}). Both paths are given explicitly so Selenium never tries to download a
 * browser or driver. Without Chromium the tests are skipped, except in CI ({@code CI=true}), where
 * they must run.
 */
final class Chromium {

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    /**
     * Skips every test of a class when Chromium is missing, with the reason in the test report;
     * in CI the tests stay enabled and {@link #requireInstalled()} fails them instead.
     */
    static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (installed() || inCi()) {
                return ConditionEvaluationResult.enabled("Chromium found, or CI=true");
            }
            String reason = "Skipping browser tests: " + missingMessage();
            System.err.println(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    /** Fails when Chromium is missing (reached only in CI, see {@link Required}). */
    static void requireInstalled() {
        if (!installed()) {
            Assertions.fail(missingMessage() + " CI=true: the browser tests must run.");
        }
    }

    private static boolean installed() {
        return browser().isPresent() && driver().isPresent();
    }

    private static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static String missingMessage() {
        return "headless Chromium not found (looked for " + BROWSERS + " and " + DRIVERS
                + "; set CHROMIUM_BIN / CHROMEDRIVER_BIN to override). Install the Debian packages "
                + "'chromium' and 'chromium-driver' to run them.";
    }

    /** Starts the browser with a fresh profile in the given (empty) directory. */
    static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser().orElseThrow().toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--lang=en-US", "--window-size=1280,1000",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver().orElseThrow().toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static Optional<Path> browser() {
        return find("CHROMIUM_BIN", BROWSERS);
    }

    private static Optional<Path> driver() {
        return find("CHROMEDRIVER_BIN", DRIVERS);
    }

    private static Optional<Path> find(String override, List<String> candidates) {
        String given = System.getenv(override);
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(p -> new File(p.toString()).canExecute());
        }
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private Chromium() {
    }
}
