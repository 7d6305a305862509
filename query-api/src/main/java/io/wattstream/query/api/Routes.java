package io.wattstream.query.api;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/** Registers a route with and without a trailing slash, as the prototype answered both. */
public final class Routes {

    static void get(HttpRules rules, String path, Handler handler) {
        both(rules, Method.GET, path, handler);
    }

    static void put(HttpRules rules, String path, Handler handler) {
        both(rules, Method.PUT, path, handler);
    }

    static void post(HttpRules rules, String path, Handler handler) {
        both(rules, Method.POST, path, handler);
    }

    static void delete(HttpRules rules, String path, Handler handler) {
        both(rules, Method.DELETE, path, handler);
    }

    private static void both(HttpRules rules, Method method, String path, Handler handler) {
        rules.route(method, path, handler);
        rules.route(method, path + "/", handler);
    }

    private Routes() {
    }
}
