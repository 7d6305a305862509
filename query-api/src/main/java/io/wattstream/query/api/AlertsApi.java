package io.wattstream.query.api;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.access.AccessFilter;
import io.wattstream.kit.access.Principal;
import io.wattstream.model.Alert;
import io.wattstream.model.AlertAck;
import io.wattstream.model.AlertKey;
import io.wattstream.model.Json;
import io.wattstream.model.Topics;
import io.wattstream.query.db.AlertRepository;
import io.wattstream.query.db.Filter;
import io.wattstream.query.live.TopicWriter;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code /api/alerts/}: alert history (COUNTER_RESET events included), or only the ones still raised;
 * {@code kind} picks one kind. Each alert has an {@code id} and says whether it is acknowledged.
 *
 * <p>{@code POST /api/alerts/{id}/ack} acknowledges one (body optional: {@code {"note": "..."}}): who is
 * the caller's token name, when is now. The acknowledgement goes to the compacted
 * {@code shelly.alert-acks} topic (key: the id; answered after the broker's ack), from where the sink
 * writes it into the alert's row and the notifier stops reminding of it. Acknowledging again replaces
 * the acknowledgement.
 */
public final class AlertsApi implements HttpService {

    private static final Set<String> KINDS = Stream.concat(Stream.of("all"),
            Arrays.stream(Alert.Kind.values()).map(k -> k.name().toLowerCase(Locale.ROOT))).collect(Collectors.toUnmodifiableSet());
    private static final ObjectReader ACK_READER = JsonBody.reader(AckBody.class);
    static final int MAX_NOTE = 1000;

    /** The body of an acknowledgement. */
    record AckBody(String note) {
    }

    private final AlertRepository repo;
    private final TopicWriter writer;
    private final Clock clock;

    public AlertsApi(AlertRepository repo, TopicWriter writer, Clock clock) {
        this.repo = repo;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/alerts", this::alerts);
        Routes.post(rules, "/api/alerts/{id}/ack", this::ack);
    }

    private void alerts(ServerRequest req, ServerResponse res) throws SQLException {
        Params p = Params.of(req.query());
        boolean active = p.choice("state", "all", Set.of("active", "all")).equals("active");
        String kind = p.choice("kind", "all", KINDS);
        int limit = p.integer("limit", 100, 1, 1000);
        Filter f = Filter.of(p.device("device").orElse(null), p.range());
        Responses.json(res, repo.find(f, active, kind.equals("all") ? null : kind.toUpperCase(Locale.ROOT), limit));
    }

    private void ack(ServerRequest req, ServerResponse res) throws SQLException {
        String id = req.path().pathParameters().get("id");
        AlertKey key;
        try {
            key = AlertKey.parse(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("parameter 'id' is not an alert id (the id field of /api/alerts/), got '"
                    + Params.abbreviate(id) + "'");
        }
        AckBody body = JsonBody.read(req, ACK_READER, "empty or a JSON object with note", "note", new AckBody(null));
        String note = body.note() == null || body.note().isBlank() ? null : body.note().strip();
        if (note != null && (note.length() > MAX_NOTE || note.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n'))) {
            throw ApiException.badRequest("field 'note' must be at most " + MAX_NOTE + " characters without control characters");
        }
        if (repo.find(key).isEmpty()) {
            throw ApiException.notFound("no alert with id '" + Params.abbreviate(id) + "' (it may not be stored yet)");
        }
        Principal who = AccessFilter.principal(req).orElseThrow(() -> new IllegalStateException("an ack passed the filter unauthenticated"));
        AlertAck ack = new AlertAck(key.deviceId(), key.kind(), key.startedAt(), key.detail(), who.name(), clock.instant(), note);
        writer.write(Topics.ALERT_ACKS, id, ack, "the acknowledgements");
        ObjectNode out = Json.MAPPER.createObjectNode().put("id", id);
        out.setAll((ObjectNode) Json.MAPPER.valueToTree(ack));
        Responses.json(res, out);
    }
}
