package io.wattstream.query.api;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's files: whatever a {@code ui} jar (or this module) puts in the classpath folder
 * {@code wattstream-ui/} is served at {@code /}, and uPlot from its webjar at
 * {@code /webjars/uplot/} (version-free paths, e.g. {@code /webjars/uplot/dist/uPlot.iife.min.js}).
 * Registered after the API, so an API path can never be shadowed by a file.
 */
public final class StaticContent {

    private static final Logger LOG = LoggerFactory.getLogger(StaticContent.class);
    static final String UI_FOLDER = "wattstream-ui";
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    public static void register(HttpRouting.Builder routing) {
        ClassLoader cl = StaticContent.class.getClassLoader();
        uplotVersion(cl).ifPresent(v -> routing.register("/webjars/uplot", StaticContentFeature.createService(
                ClasspathHandlerConfig.builder().location("META-INF/resources/webjars/uplot/" + v).build())));
        if (cl.getResource(UI_FOLDER + "/index.html") != null) {
            routing.register("/", StaticContentFeature.createService(
                    ClasspathHandlerConfig.builder().location(UI_FOLDER).welcome("index.html").build()));
        } else {
            LOG.info("No dashboard on the classpath ({}/index.html); serving the API only", UI_FOLDER);
        }
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
