package io.wattstream.query.api;

import io.helidon.common.uri.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Absolute {@code next}/{@code previous} links as the prototype gave them: same scheme, host
 * (from the request's Host header) and path, every other parameter kept, {@code page} replaced;
 * the first page's link carries no {@code page} at all.
 */
public final class PageLinks {

    private final String base;
    private final Map<String, String> params;

    PageLinks(UriInfo requested, String path, Map<String, String> params) {
        this.base = requested.scheme() + "://" + requested.authority() + path;
        this.params = params;
    }

    String page(int page) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.remove("page");
        if (page > 1) {
            p.put("page", Integer.toString(page));
        }
        if (p.isEmpty()) {
            return base;
        }
        return base + "?" + p.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
