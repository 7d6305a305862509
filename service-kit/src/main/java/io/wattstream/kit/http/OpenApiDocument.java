package io.wattstream.kit.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi}: the service's OpenAPI document, a YAML resource read once at start-up. */
public final class OpenApiDocument implements HttpService {

    public static final String PATH = "/openapi";

    private final byte[] yaml;

    /** The document at {@code resource} on the class loader of {@code owner}. */
    public OpenApiDocument(Class<?> owner, String resource) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            this.yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void routing(HttpRules rules) {
        for (String path : new String[] {PATH, PATH + "/"}) {
            rules.get(path, (req, res) -> {
                res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
                res.header(HeaderNames.CACHE_CONTROL, "no-cache");
                res.send(yaml);
            });
        }
    }
}
