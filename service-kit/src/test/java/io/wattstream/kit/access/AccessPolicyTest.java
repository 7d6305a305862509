package io.wattstream.kit.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    final AccessPolicy closed = AccessPolicy.of(List.of("/api/session"), List.of("/api/*", "/observe/metrics/*"), false);
    final AccessPolicy openReads = AccessPolicy.of(List.of("/api/session"), List.of("/api/*"), true);

    @Test
    void everyMethodButGetHeadAndOptionsNeedsAnAdminOnAnyPath() {
        for (Method m : List.of(Method.POST, Method.PUT, Method.DELETE, Method.PATCH, Method.create("BREW"))) {
            for (String path : List.of("/api/devices/x", "/api/tariffs/new-endpoint", "/", "/index.html", "/observe/health")) {
                assertThat(closed.required(m, path)).as(m + " " + path).isEqualTo(Role.ADMIN);
                assertThat(openReads.required(m, path)).as(m + " " + path).isEqualTo(Role.ADMIN);
            }
        }
    }

    @Test
    void readsOfProtectedPathsNeedAViewerUnlessReadsAreOpen() {
        for (String path : List.of("/api", "/api/", "/api/measurements/", "/api/stream", "/observe/metrics")) {
            assertThat(closed.required(Method.GET, path)).as(path).isEqualTo(Role.VIEWER);
            assertThat(closed.required(Method.HEAD, path)).as(path).isEqualTo(Role.VIEWER);
            assertThat(closed.required(Method.OPTIONS, path)).as(path).isEqualTo(Role.VIEWER);
        }
        assertThat(openReads.required(Method.GET, "/api/measurements/")).isNull();
    }

    @Test
    void theDashboardFilesHealthAndTheLoginNeedNothing() {
        for (String path : List.of("/", "/index.html", "/js/main.js", "/openapi", "/observe/health", "/apix")) {
            assertThat(closed.required(Method.GET, path)).as(path).isNull();
        }
        for (Method m : List.of(Method.GET, Method.POST, Method.DELETE)) {
            assertThat(closed.required(m, "/api/session")).isNull();
            assertThat(closed.required(m, "/api/session/")).isNull();
        }
        assertThat(closed.required(Method.POST, "/api/session/other")).isEqualTo(Role.ADMIN);
    }
}
