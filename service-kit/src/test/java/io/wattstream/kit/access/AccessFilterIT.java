package io.wattstream.kit.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.wattstream.kit.http.ServiceServer;
import io.wattstream.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter and the login on a service's server, asked by a real HTTP client. */
class AccessFilterIT {

    static final String ADMIN = ApiTokens.generate();
    static final String VIEWER = ApiTokens.generate();
    static WebServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Access access = new Access(ApiTokens.of(ADMIN, "wall:viewer:" + ApiTokens.sha256Hex(VIEWER)), false, Duration.ofHours(1));
        server = ServiceServer.builder("access test")
                .tuning(b -> b.host("127.0.0.1"))
                .port(0)
                .access(access, List.of("/api/*"))
                .routes(rules -> rules.get("/api/things", (req, res) -> res.send("things"))
                        .put("/api/things", (req, res) -> res.send("written by " + AccessFilter.principal(req).orElseThrow().name()))
                        .get("/index.html", (req, res) -> res.send("page")))
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static JsonNode json(HttpResponse<String> res) throws IOException {
        return Json.MAPPER.readTree(res.body());
    }

    @Test
    void everyKindOfMissingOrBadCredentialGetsTheSame401() throws IOException {
        List<HttpResponse<String>> refused = List.of(
                send("GET", "/api/things", null),
                send("GET", "/api/things", null, "Authorization", bearer(ApiTokens.generate())),
                send("GET", "/api/things", null, "Authorization", bearer("")),
                send("GET", "/api/things", null, "Authorization", "Basic YWRtaW46YWRtaW4="),
                send("PUT", "/api/things", "{}", "Authorization", bearer(ADMIN + "x")),
                send("GET", "/api/things", null, "Cookie", AccessFilter.COOKIE + "=" + ApiTokens.generate()));
        for (HttpResponse<String> r : refused) {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo(refused.get(0).body());
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"wattstream\"");
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        }
        assertThat(json(refused.get(0)).path("error").asText()).isEqualTo(AccessFilter.UNAUTHENTICATED);
    }

    @Test
    void aViewerReadsButMayNotWriteAndAnAdminDoesBoth() throws IOException {
        assertThat(send("GET", "/api/things", null, "Authorization", bearer(VIEWER)).body()).isEqualTo("things");
        HttpResponse<String> viewerWrite = send("PUT", "/api/things", "{}", "Authorization", bearer(VIEWER));
        assertThat(viewerWrite.statusCode()).isEqualTo(403);
        assertThat(json(viewerWrite).path("error").asText()).isEqualTo("this needs the admin role");
        HttpResponse<String> adminWrite = send("PUT", "/api/things", "{}", "Authorization", bearer(ADMIN));
        assertThat(adminWrite.statusCode()).isEqualTo(200);
        assertThat(adminWrite.body()).isEqualTo("written by admin");
    }

    @Test
    void aWriteToAPathNobodyListedStillNeedsAnAdmin() {
        assertThat(send("POST", "/index.html", "x", "Authorization", bearer(VIEWER)).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/anything/new", null).statusCode()).isEqualTo(401);
        // With the right role the request reaches routing, which has no such route.
        assertThat(send("DELETE", "/anything/new", null, "Authorization", bearer(ADMIN)).statusCode()).isEqualTo(404);
    }

    @Test
    void filesOutsideTheProtectedPathsNeedNoCredential() {
        assertThat(send("GET", "/index.html", null).body()).isEqualTo("page");
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieThatReadsAndWithTheCsrfTokenWrites() throws IOException {
        HttpResponse<String> login = send("POST", "/api/session", "{\"token\":\"" + ADMIN + "\"}", "Content-Type", "application/json");
        assertThat(login.statusCode()).isEqualTo(200);
        JsonNode body = json(login);
        assertThat(body.path("name").asText()).isEqualTo("admin");
        assertThat(body.path("role").asText()).isEqualTo("admin");
        assertThat(login.body()).doesNotContain(ADMIN);
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(AccessFilter.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").contains("Max-Age=3600").doesNotContain("Secure").doesNotContain(ADMIN);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = body.path("csrf_token").asText();

        assertThat(send("GET", "/api/things", null, "Cookie", cookie).body()).isEqualTo("things");
        HttpResponse<String> who = send("GET", "/api/session", null, "Cookie", cookie);
        assertThat(json(who).path("csrf_token").asText()).isEqualTo(csrf);

        HttpResponse<String> noCsrf = send("PUT", "/api/things", "{}", "Cookie", cookie);
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(json(noCsrf).path("error").asText()).isEqualTo(AccessFilter.CSRF_REFUSED);
        assertThat(send("PUT", "/api/things", "{}", "Cookie", cookie, AccessFilter.CSRF_HEADER, csrf + "x").statusCode())
                .isEqualTo(403);
        assertThat(send("PUT", "/api/things", "{}", "Cookie", cookie, AccessFilter.CSRF_HEADER, csrf).body())
                .isEqualTo("written by admin");

        HttpResponse<String> logout = send("DELETE", "/api/session", null, "Cookie", cookie);
        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Expires=Thu, 1 Jan 1970");
        assertThat(send("GET", "/api/things", null, "Cookie", cookie).statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerSessionMayNotWriteEvenWithItsCsrfToken() throws IOException {
        HttpResponse<String> login = send("POST", "/api/session", "{\"token\":\"" + VIEWER + "\"}", "Content-Type", "application/json");
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = json(login).path("csrf_token").asText();
        assertThat(send("PUT", "/api/things", "{}", "Cookie", cookie, AccessFilter.CSRF_HEADER, csrf).statusCode()).isEqualTo(403);
    }

    @Test
    void aWrongTokenAtLoginGetsTheSame401AndNoCookie() throws IOException {
        HttpResponse<String> wrong = send("POST", "/api/session", "{\"token\":\"" + ApiTokens.generate() + "\"}",
                "Content-Type", "application/json");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(send("GET", "/api/things", null).body());
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(send("GET", "/api/session", null).statusCode()).as("nobody logged in").isEqualTo(204);
    }

    @Test
    void loginTakesOnlyJsonSoAFormOnAnotherSiteCannotPostIt() throws IOException {
        HttpResponse<String> form = send("POST", "/api/session", "token=" + ADMIN, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> notJson = send("POST", "/api/session", "{token", "Content-Type", "application/json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("error").asText()).doesNotContain("{token");
    }

    @Test
    void aBearerTokenNeedsNoCsrfHeader() {
        assertThat(send("PUT", "/api/things", "{}", "Authorization", bearer(ADMIN)).statusCode()).isEqualTo(200);
    }
}
