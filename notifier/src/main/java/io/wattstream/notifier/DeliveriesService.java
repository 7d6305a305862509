package io.wattstream.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyDelivery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /deliveries}: the newest outcomes (delivered, suppressed, dead-lettered), newest first,
 * and the transitions still waiting for their receiver with their attempts and last error. Filters:
 * {@code limit} (1..1000, default 100), {@code channel}, {@code device}, {@code outcome}. Holds no
 * secret: outcomes name channels by id only.
 */
final class DeliveriesService implements HttpService {

    static final int MAX_LIMIT = 1000;

    private final RecentDeliveries recent;
    private final Supplier<Collection<ChannelLane>> lanes;

    DeliveriesService(RecentDeliveries recent, Supplier<Collection<ChannelLane>> lanes) {
        this.recent = recent;
        this.lanes = lanes;
    }

    /** The answer of {@code /deliveries}. */
    record Answer(List<NotifyDelivery> recent, List<Delivery.Pending> pending) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        var q = req.query();
        int limit;
        NotifyDelivery.Outcome outcome;
        try {
            limit = q.first("limit").map(Integer::parseInt).orElse(100);
            outcome = q.first("outcome").map(NotifyDelivery.Outcome::valueOf).orElse(null);
        } catch (IllegalArgumentException e) {
            JsonErrors.send(res, Status.BAD_REQUEST_400, "limit is 1.." + MAX_LIMIT
                    + " and outcome one of DELIVERED, SUPPRESSED, DEAD_LETTERED");
            return;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            JsonErrors.send(res, Status.BAD_REQUEST_400, "limit must be 1.." + MAX_LIMIT);
            return;
        }
        Optional<String> channel = q.first("channel").asOptional();
        Optional<String> device = q.first("device").asOptional();
        Predicate<NotifyDelivery> filter = d -> (outcome == null || d.outcome() == outcome)
                && channel.map(c -> c.equals(d.channelId())).orElse(true)
                && device.map(x -> x.equals(d.deviceId())).orElse(true);
        List<Delivery.Pending> pending = new ArrayList<>();
        for (ChannelLane lane : lanes.get()) {
            Delivery current = lane.current();
            if (current != null && channel.map(c -> c.equals(current.channelId)).orElse(true)
                    && device.map(x -> x.equals(current.transition.deviceId())).orElse(true)) {
                pending.add(current.pending(lane.queued()));
            }
        }
        pending.sort(Comparator.comparing(Delivery.Pending::channelId));
        try {
            res.header(HeaderValues.CONTENT_TYPE_JSON).send(Json.MAPPER.writeValueAsBytes(new Answer(recent.newest(limit, filter), pending)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the deliveries", e);
        }
    }
}
