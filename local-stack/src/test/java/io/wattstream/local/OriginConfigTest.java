package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wattstream.kit.http.OriginProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one origin of the compose deployment (nginx, {@code deploy/nginx.conf}) routes exactly as the
 * local stack's does: every path the local stack's origin sends to a service, nginx sends to the same
 * service at its compose name and port; the live feed is not buffered; the file passes {@code nginx -t}.
 */
class OriginConfigTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CONF = ROOT.resolve("deploy/nginx.conf");
    /** A path of each kind a prototype user calls, and the service that must answer it. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("/webhook", "gateway");
        EXPECTED.put("/webhook/", "gateway");
        EXPECTED.put("/webhook/shellypro1pm-a8032ab1c2d3", "gateway");
        EXPECTED.put("/api/measurements/", "query-api");
        EXPECTED.put("/api/measurements/latest/", "query-api");
        EXPECTED.put("/api/stream", "query-api");
        EXPECTED.put("/openapi", "query-api");
        EXPECTED.put("/", "query-api");
        EXPECTED.put("/js/main.js", "query-api");
        EXPECTED.put("/webhooks-are-not-this", "query-api");
    }

    /** One {@code location} block: how it matches and what it holds. */
    private record Location(String modifier, String path, String body) {
        boolean matches(String uri) {
            return modifier.equals("=") ? uri.equals(path) : uri.startsWith(path);
        }

        /** The service and port of its proxy_pass (through a variable set in the block). */
        String upstream() {
            Matcher pass = Pattern.compile("proxy_pass\\s+([^;]+);").matcher(body);
            assertThat(pass.find()).as("proxy_pass in location " + path).isTrue();
            String target = pass.group(1).trim();
            if (target.startsWith("$")) {
                Matcher set = Pattern.compile("set\\s+\\" + target + "\\s+([^;]+);").matcher(body);
                assertThat(set.find()).as("set " + target + " in location " + path).isTrue();
                target = set.group(1).trim();
            }
            URI uri = URI.create(target);
            assertThat(uri.getPath()).as("proxy_pass keeps the request's path: no path of its own").isEmpty();
            return uri.getHost() + ":" + uri.getPort();
        }
    }

    @Test
    void everyPathGoesToTheServiceTheLocalStacksOriginSendsItTo() throws IOException {
        List<Location> locations = locations(Files.readString(CONF));
        List<OriginProxy.Route> local = LocalStack.originRoutes("http://gateway:8080", "http://query-api:8081");
        Map<String, String> ports = Map.of("gateway", "gateway:" + containerPort("gateway"),
                "query-api", "query-api:" + containerPort("query-api"));
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            String uri = e.getKey();
            String service = e.getValue();
            assertThat(nginxRoute(locations, uri)).as("nginx: " + uri).hasValue(ports.get(service));
            OriginProxy.Route route = local.stream().filter(r -> r.matches(uri)).findFirst().orElseThrow();
            assertThat(route.target().getHost()).as("local stack: " + uri).isEqualTo(service);
        }
    }

    @Test
    void theLiveFeedIsNeitherBufferedNorCutOff() throws IOException {
        Location stream = locations(Files.readString(CONF)).stream().filter(l -> l.path().equals("/api/stream"))
                .findFirst().orElseThrow();
        assertThat(stream.body()).containsPattern("proxy_buffering\\s+off;").containsPattern("proxy_read_timeout\\s+1h;");
        String conf = Files.readString(CONF);
        assertThat(conf).containsPattern("listen\\s+8000;").containsPattern("proxy_next_upstream\\s+off;")
                .containsPattern("proxy_set_header\\s+Host\\s+\\$http_host;");
    }

    @Test
    void composeRunsItOnTheOriginPort() throws IOException {
        JsonNode origin = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile())
                .get("services").get("origin");
        assertThat(origin.get("ports").get(0).asText()).isEqualTo("${ORIGIN_PORT:-8000}:8000");
        assertThat(origin.get("volumes").get(0).asText()).isEqualTo("./deploy/nginx.conf:/etc/nginx/nginx.conf:ro");
    }

    /** {@code nginx -t}, with the temporary directories the image has made to point at a test folder. */
    @Test
    void nginxAcceptsTheFile(@TempDir Path tmp) throws Exception {
        Optional<Path> nginx = nginx();
        assumeTrue(nginx.isPresent() || "true".equals(System.getenv("CI")),
                "nginx is not here (.ci/run unpacks Debian's nginx for this check)");
        StringBuilder temp = new StringBuilder("http {\n");
        for (String d : List.of("client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path", "uwsgi_temp_path",
                "scgi_temp_path")) {
            temp.append("    ").append(d).append(' ').append(tmp.resolve(d)).append(";\n");
        }
        Path conf = tmp.resolve("nginx.conf");
        Files.writeString(conf, Files.readString(CONF).replaceFirst("http \\{\n", Matcher.quoteReplacement(temp.toString())));
        Process p = new ProcessBuilder(nginx.orElseThrow().toString(), "-t", "-p", tmp.toString(), "-c", conf.toString(),
                "-g", "error_log stderr; pid " + tmp.resolve("nginx.pid") + ";").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("test is successful");
    }

    private static Optional<Path> nginx() {
        String given = System.getenv("NGINX_BIN");
        if (given != null && Files.isExecutable(Path.of(given))) {
            return Optional.of(Path.of(given));
        }
        return Stream.of(System.getenv("PATH").split(":"), new String[] {"/usr/sbin"}).flatMap(Stream::of)
                .map(dir -> Path.of(dir, "nginx")).filter(Files::isExecutable).findFirst();
    }

    /** The port a service listens on inside compose: its healthcheck's. */
    private static int containerPort(String service) throws IOException {
        String health = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile())
                .get("services").get(service).get("healthcheck").get("test").get(1).asText();
        Matcher m = Pattern.compile("localhost:(\\d+)/").matcher(health);
        assertThat(m.find()).as(health).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** nginx's choice: an exact match first, else the longest prefix. */
    private static Optional<String> nginxRoute(List<Location> locations, String uri) {
        Optional<Location> exact = locations.stream().filter(l -> l.modifier().equals("=") && l.matches(uri)).findFirst();
        Optional<Location> chosen = exact.isPresent() ? exact : locations.stream()
                .filter(l -> l.modifier().isEmpty() && l.matches(uri))
                .max((a, b) -> Integer.compare(a.path().length(), b.path().length()));
        return chosen.map(Location::upstream);
    }

    private static List<Location> locations(String conf) {
        String text = conf.replaceAll("(?m)#.*$", "");
        Matcher m = Pattern.compile("location\\s+(=\\s+)?(\\S+)\\s*\\{([^}]*)}").matcher(text);
        List<Location> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Location(m.group(1) == null ? "" : "=", m.group(2), m.group(3)));
        }
        assertThat(out).isNotEmpty();
        return out;
    }
}
