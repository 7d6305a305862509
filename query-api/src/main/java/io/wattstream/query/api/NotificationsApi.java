package io.wattstream.query.api;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyChannel;
import io.wattstream.model.NotifyEntry;
import io.wattstream.model.NotifyRoute;
import io.wattstream.query.live.NotifierClient;
import io.wattstream.query.live.TopicTable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code /api/notifications/}: the notifier's channels and routes, kept on the compacted
 * {@code shelly.notify-channels} topic, and its recent deliveries.
 *
 * <ul>
 *   <li>{@code GET/PUT/DELETE /api/notifications/channels/{id}} and {@code GET .../channels}; the same
 *       for {@code routes}. A write answers after the broker's acknowledgement ({@code acks=all});
 *       DELETE writes a tombstone.</li>
 *   <li>Secrets are write-only: a channel is only ever answered {@link NotifyChannel#redacted()}, with
 *       {@code has_secret}; a PUT that leaves a secret out (or sends a Slack URL back as it was shown)
 *       keeps the stored one. Bodies are never logged.</li>
 *   <li>A route names existing channels; a channel that routes use cannot be deleted (409).</li>
 *   <li>{@code GET /api/notifications/}: the notifier's {@code /deliveries} (recent outcomes, what is
 *       being retried), with the same query; 503 while the notifier cannot be reached.</li>
 * </ul>
 */
public final class NotificationsApi implements HttpService {

    private static final ObjectReader CHANNEL_READER = JsonBody.reader(NotifyChannel.class);
    private static final ObjectReader ROUTE_READER = JsonBody.reader(NotifyRoute.class);
    private static final String CHANNEL_FIELDS = "id, type, url, secret, email, enabled";
    private static final String ROUTE_FIELDS = "id, channels, kinds, states, devices, sites, quiet_hours, min_interval, "
            + "repeat_every, enabled";

    private final TopicTable<NotifyEntry> entries;
    private final NotifierClient notifier;

    public NotificationsApi(TopicTable<NotifyEntry> entries, NotifierClient notifier) {
        this.entries = entries;
        this.notifier = notifier;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/notifications", this::deliveries);
        Routes.get(rules, "/api/notifications/channels", (req, res) -> Responses.json(res, channels().values().stream()
                .map(NotificationsApi::view).toList()));
        Routes.get(rules, "/api/notifications/channels/{id}", (req, res) -> Responses.json(res, view(channel(id(req)))));
        Routes.put(rules, "/api/notifications/channels/{id}", this::putChannel);
        Routes.delete(rules, "/api/notifications/channels/{id}", this::deleteChannel);
        Routes.get(rules, "/api/notifications/routes", (req, res) -> Responses.json(res, List.copyOf(routes().values())));
        Routes.get(rules, "/api/notifications/routes/{id}", (req, res) -> Responses.json(res, route(id(req))));
        Routes.put(rules, "/api/notifications/routes/{id}", this::putRoute);
        Routes.delete(rules, "/api/notifications/routes/{id}", this::deleteRoute);
    }

    private void deliveries(ServerRequest req, ServerResponse res) {
        NotifierClient.Answer a = notifier.deliveries(req.query().rawValue());
        res.status(Status.create(a.status()));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(a.body());
    }

    private void putChannel(ServerRequest req, ServerResponse res) {
        String id = id(req);
        NotifyChannel sent = JsonBody.read(req, CHANNEL_READER, "a JSON channel object with " + CHANNEL_FIELDS, CHANNEL_FIELDS, null);
        requireSameId(id, sent.id());
        NotifyChannel stored = channels().get(id);
        String url = sent.url();
        if (stored != null && sent.type() == NotifyChannel.Type.SLACK && Objects.equals(url, stored.redacted().url())) {
            url = null; // the masked URL as a GET showed it: keep the stored one
        }
        NotifyChannel channel = new NotifyChannel(id, sent.type(), url, sent.secret(), sent.email(), sent.enabled())
                .withSecretsFrom(stored);
        validated(channel::validate);
        entries.put(NotifyEntry.channelKey(id), NotifyEntry.of(channel));
        Responses.json(res, view(channel));
    }

    private void deleteChannel(ServerRequest req, ServerResponse res) {
        String id = id(req);
        channel(id);
        List<String> users = routes().values().stream().filter(r -> r.channels() != null && r.channels().contains(id))
                .map(NotifyRoute::id).sorted().toList();
        if (!users.isEmpty()) {
            throw ApiException.conflict("channel '" + id + "' is used by the routes " + users + "; change or delete them first");
        }
        entries.delete(NotifyEntry.channelKey(id));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void putRoute(ServerRequest req, ServerResponse res) {
        String id = id(req);
        NotifyRoute sent = JsonBody.read(req, ROUTE_READER, "a JSON route object with " + ROUTE_FIELDS, ROUTE_FIELDS, null);
        requireSameId(id, sent.id());
        NotifyRoute route = new NotifyRoute(id, sent.channels(), sent.kinds(), sent.states(), sent.devices(), sent.sites(),
                sent.quietHours(), sent.minInterval(), sent.repeatEvery(), sent.enabled());
        validated(route::validate);
        Map<String, NotifyChannel> channels = channels();
        for (String c : route.channels()) {
            if (!channels.containsKey(c)) {
                throw ApiException.badRequest("route names the channel '" + Params.abbreviate(c) + "', which does not exist");
            }
        }
        entries.put(NotifyEntry.routeKey(id), NotifyEntry.of(route));
        Responses.json(res, route);
    }

    private void deleteRoute(ServerRequest req, ServerResponse res) {
        String id = id(req);
        route(id);
        entries.delete(NotifyEntry.routeKey(id));
        res.status(Status.NO_CONTENT_204).send();
    }

    private NotifyChannel channel(String id) {
        NotifyChannel c = channels().get(id);
        if (c == null) {
            throw ApiException.notFound("no notification channel '" + id + "'");
        }
        return c;
    }

    private NotifyRoute route(String id) {
        NotifyRoute r = routes().get(id);
        if (r == null) {
            throw ApiException.notFound("no notification route '" + id + "'");
        }
        return r;
    }

    private Map<String, NotifyChannel> channels() {
        Map<String, NotifyChannel> out = new TreeMap<>();
        entries.all().forEach((key, e) -> {
            if (key.startsWith(NotifyEntry.CHANNEL_KEY_PREFIX) && e.channel() != null) {
                out.put(key.substring(NotifyEntry.CHANNEL_KEY_PREFIX.length()), e.channel());
            }
        });
        return out;
    }

    private Map<String, NotifyRoute> routes() {
        Map<String, NotifyRoute> out = new TreeMap<>();
        entries.all().forEach((key, e) -> {
            if (key.startsWith(NotifyEntry.ROUTE_KEY_PREFIX) && e.route() != null) {
                out.put(key.substring(NotifyEntry.ROUTE_KEY_PREFIX.length()), e.route());
            }
        });
        return out;
    }

    /** The channel as answered: never a secret, and whether one is set. */
    static ObjectNode view(NotifyChannel c) {
        ObjectNode node = Json.MAPPER.valueToTree(c.redacted());
        node.put("has_secret", c.hasSecret());
        return node;
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!id.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw ApiException.badRequest("parameter 'id' must be 1-100 characters [A-Za-z0-9._:-], got '" + Params.abbreviate(id) + "'");
        }
        return id;
    }

    private static void requireSameId(String path, String body) {
        if (body != null && !body.equals(path)) {
            throw ApiException.badRequest("field 'id' must be the id in the path ('" + path + "') or left out");
        }
    }

    private static void validated(Runnable validate) {
        try {
            validate.run();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
