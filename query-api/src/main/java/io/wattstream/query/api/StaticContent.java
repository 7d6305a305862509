package io.wattstream.query.api;

import io.wattstream.kit.http.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's files: whatever a {@code ui} jar (or this module) puts in the classpath folder
 * {@code wattstream-ui/} is served at {@code /}, and uPlot from its webjar at
 * {@code /webjars/uplot/} (version-free paths, e.g. {@code /webjars/uplot/dist/uPlot.iife.min.js}).
 * Registered after the API, so an API path can never be shadowed by a file. The dashboard's paths
 * carry no version, so a browser revalidates them each time (a 304 while unchanged); uPlot changes
 * only with its jar and may be kept for an hour.
 */
public final class StaticContent {

    private static final Logger LOG = LoggerFactory.getLogger(StaticContent.class);
    static final String UI_FOLDER = "wattstream-ui";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** The file services, uPlot first. */
    public static List<StaticFiles> services() {
        ClassLoader cl = StaticContent.class.getClassLoader();
        List<StaticFiles> out = new ArrayList<>();
        uplotVersion(cl).ifPresent(v -> out.add(StaticFiles.fromClasspath(cl, "META-INF/resources/webjars/uplot/" + v,
                "/webjars/uplot", null, "public, max-age=3600")));
        StaticFiles ui = StaticFiles.fromClasspath(cl, UI_FOLDER, "/", "index.html", "no-cache");
        if (ui.isEmpty()) {
            LOG.info("No dashboard on the classpath ({}/index.html); serving the API only", UI_FOLDER);
        } else {
            out.add(ui);
        }
        return out;
    }

    private static Optional<String> uplotVersion(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.ofNullable(p.getProperty("version"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private StaticContent() {
    }
}
