package io.wattstream.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Static checks on the packaged dashboard: everything it loads is in this jar or the uplot webjar
 * (no CDN), and no script turns strings into markup. The behaviour itself is tested in a real
 * browser by the e2e-browser module.
 */
class DashboardResourcesTest {

    private static final String ROOT = "wattstream-ui/";
    /** query-api serves the uplot webjar's versioned folder at /webjars/uplot/. */
    private static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/";
    private static final List<String> SCRIPTS = List.of(
            "js/main.js", "js/api.js", "js/chart.js", "js/daily.js", "js/dom.js", "js/format.js", "js/live.js", "js/sessions.js",
            "js/store.js", "js/views.js");
    private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import .* from '([^']+)';");

    @Test
    void everyFileThePageReferencesIsPackaged() {
        String html = resource("index.html");
        List<String> refs = matches(HTML_REF, html);
        assertThat(refs).contains("css/dashboard.css", "js/main.js", "webjars/uplot/dist/uPlot.iife.min.js");
        for (String ref : refs) {
            if (ref.startsWith("data:") || ref.startsWith("api/")) {
                continue; // inline, or an endpoint of the query API (the sessions export), not a file
            }
            assertThat(exists(ref)).as("%s referenced by index.html", ref).isTrue();
        }
    }

    @Test
    void everyModuleImportResolvesToAPackagedFile() {
        for (String script : SCRIPTS) {
            for (String target : matches(IMPORT, resource(script))) {
                String resolved = URI.create("x:/" + script).resolve(target).getPath().substring(1);
                assertThat(SCRIPTS).as("%s imports %s", script, target).contains(resolved);
            }
        }
    }

    @Test
    void nothingIsLoadedFromAnotherOrigin() {
        List<String> files = new ArrayList<>(SCRIPTS);
        files.add("index.html");
        files.add("css/dashboard.css");
        for (String file : files) {
            assertThat(resource(file)).as(file).doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");
        }
    }

    @Test
    void noScriptParsesStringsAsMarkup() {
        for (String script : SCRIPTS) {
            assertThat(resource(script)).as(script)
                    .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                            "new Function", "createContextualFragment");
        }
    }

    private static boolean exists(String ref) {
        ClassLoader cl = DashboardResourcesTest.class.getClassLoader();
        if (ref.startsWith("webjars/uplot/")) {
            String rest = ref.substring("webjars/uplot/".length());
            String version = uplotVersion();
            return cl.getResource(UPLOT_ROOT + version + "/" + rest) != null;
        }
        return cl.getResource(ROOT + ref) != null;
    }

    private static String uplotVersion() {
        String props = read("META-INF/maven/org.webjars.npm/uplot/pom.properties");
        Matcher m = Pattern.compile("(?m)^version=(.+)$").matcher(props);
        assertThat(m.find()).as("uplot webjar version").isTrue();
        return m.group(1).trim();
    }

    private static List<String> matches(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String resource(String name) {
        return read(ROOT + name);
    }

    private static String read(String path) {
        try (InputStream in = DashboardResourcesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
