package io.wattstream.streams.state;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.ChargingSession;
import io.wattstream.model.Json;
import io.wattstream.model.ReadingRules;
import io.wattstream.model.state.AlertRules;
import io.wattstream.model.state.DeviceState;
import io.wattstream.model.state.DeviceStates;
import io.wattstream.model.state.OpenSessions;
import io.wattstream.streams.topology.StoreNames;
import io.wattstream.streams.topology.TopologySettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code /state}: interactive queries over the processor's stores. Each device's state lives on the
 * instance that owns its partition; a request for it on another instance is forwarded there (once:
 * forwarded requests carry {@code scope=local}), and the all-devices answer merges the local answers of
 * the instances holding the devices' partitions, so any instance answers for every device.
 * {@code /state/rules} tells the alert rules this instance applies. The answers are the records of {@code io.wattstream.model.state}.
 */
public final class StateService implements HttpService {

    static final String SCOPE = "scope";
    static final String LOCAL = "local";

    private final Supplier<Runtime> runtime;
    private final Supplier<AlertRules> alertRules;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The running Kafka Streams instance, the endpoint it advertises and its rules, once started. */
    public record Runtime(KafkaStreams streams, HostInfo self, TopologySettings topology) {
        String selfEndpoint() {
            return self.host() + ":" + self.port();
        }
    }

    /**
     * @param runtime    the running instance, null while it starts
     * @param alertRules the rules its topology applies, null until it is built
     */
    public StateService(Supplier<Runtime> runtime, Supplier<AlertRules> alertRules) {
        this.runtime = runtime;
        this.alertRules = alertRules;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/devices", this::all)
                .get("/devices/{id}", this::one)
                .get("/sessions", this::sessions)
                .get("/rules", this::rules);
    }

    /** The same on every instance (one configuration), so it is answered locally, even while rebalancing. */
    private void rules(ServerRequest req, ServerResponse res) {
        AlertRules r = alertRules.get();
        if (r == null) {
            throw new StateErrors.NotReadyException("the stream processor is starting; retry shortly");
        }
        json(res, r);
    }

    private Runtime runtime() {
        Runtime r = runtime.get();
        if (r == null) {
            throw new StateErrors.NotReadyException("the stream processor is starting; retry shortly");
        }
        KafkaStreams.State state = r.streams().state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new StateErrors.NotReadyException("the stream processor is " + state);
        }
        return r;
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!ReadingRules.validDeviceId(id)) {
            throw new IllegalArgumentException("device id must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        Runtime rt = runtime();
        boolean localOnly = LOCAL.equals(req.query().first(SCOPE).orElse(""));
        if (!localOnly) {
            KeyQueryMetadata owner = rt.streams().queryMetadataForKey(StoreNames.LATEST_READING, id,
                    Serdes.String().serializer());
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                throw new StateErrors.NotReadyException("partition ownership is being reassigned; retry shortly");
            }
            if (!owner.activeHost().equals(rt.self())) {
                forward(owner.activeHost(), "/state/devices/" + encode(id), res);
                return;
            }
        }
        DeviceState state = new LocalStores(rt.streams(), rt.selfEndpoint(), rt.topology()).device(id)
                .orElseThrow(() -> new StateErrors.UnknownDeviceException(id));
        json(res, state);
    }

    private void all(ServerRequest req, ServerResponse res) {
        Map<String, DeviceState> merged = new LinkedHashMap<>();
        gather(req, StoreNames.LATEST_READING, LocalStores::all,
                peer -> fetch(peer, "/state/devices", DeviceStates.class).devices())
                .forEach(d -> merged.putIfAbsent(d.deviceId(), d));
        List<DeviceState> devices = new ArrayList<>(merged.values());
        devices.sort(Comparator.comparing(DeviceState::deviceId));
        json(res, new DeviceStates(devices));
    }

    /** Every open charging session: this instance's, and (unless scope=local) every other instance's. */
    private void sessions(ServerRequest req, ServerResponse res) {
        Map<String, ChargingSession> merged = new LinkedHashMap<>();
        gather(req, StoreNames.SESSION_STATE, LocalStores::openSessions,
                peer -> fetch(peer, "/state/sessions", OpenSessions.class).sessions())
                .forEach(s -> merged.putIfAbsent(s.deviceId(), s));
        List<ChargingSession> sessions = new ArrayList<>(merged.values());
        sessions.sort(Comparator.comparing(ChargingSession::deviceId));
        json(res, new OpenSessions(sessions));
    }

    /**
     * The entries of a store over every instance: this one's first, then (unless scope=local) each other
     * instance's. Only the instances holding active partitions of the store have entries to tell; one
     * that holds none (more instances than partitions, or a restarted one warming up its copies until a
     * probing rebalance hands it partitions) cannot even open the store, so it is not asked, and a
     * scope=local request to it (the asker saw another assignment) is not ready.
     */
    private <T> List<T> gather(ServerRequest req, String store, Function<LocalStores, List<T>> local,
                               Function<HostInfo, List<T>> remote) {
        Runtime rt = runtime();
        boolean localOnly = LOCAL.equals(req.query().first(SCOPE).orElse(""));
        List<HostInfo> holders = rt.streams().streamsMetadataForStore(store).stream()
                .filter(m -> m.stateStoreNames().contains(store))
                .map(StreamsMetadata::hostInfo).toList();
        if (holders.isEmpty() || (localOnly && !holders.contains(rt.self()))) {
            throw new StateErrors.NotReadyException("partition ownership is being reassigned; retry shortly");
        }
        List<T> out = new ArrayList<>();
        if (holders.contains(rt.self())) {
            out.addAll(local.apply(new LocalStores(rt.streams(), rt.selfEndpoint(), rt.topology())));
        }
        if (!localOnly) {
            for (HostInfo peer : holders) {
                if (!peer.equals(rt.self())) {
                    out.addAll(remote.apply(peer));
                }
            }
        }
        return out;
    }

    private HttpResponse<byte[]> get(HostInfo host, String path) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + path + "?" + SCOPE + "=" + LOCAL);
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new StateErrors.PeerException("instance " + host.host() + ":" + host.port() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateErrors.PeerException("interrupted while asking " + host.host() + ":" + host.port(), e);
        }
    }

    /** Relays the owner's answer as it is, error or not. */
    private void forward(HostInfo owner, String path, ServerResponse res) {
        HttpResponse<byte[]> answer = get(owner, path);
        res.status(Status.create(answer.statusCode())).header(HeaderValues.CONTENT_TYPE_JSON).send(answer.body());
    }

    private <T> T fetch(HostInfo peer, String path, Class<T> type) {
        HttpResponse<byte[]> answer = get(peer, path);
        if (answer.statusCode() != 200) {
            throw new StateErrors.PeerException("instance " + peer.host() + ":" + peer.port() + " answered "
                    + answer.statusCode() + ": " + new String(answer.body(), StandardCharsets.UTF_8), null);
        }
        try {
            return Json.MAPPER.readValue(answer.body(), type);
        } catch (IOException e) {
            throw new StateErrors.PeerException("instance " + peer.host() + ":" + peer.port() + " sent unreadable state", e);
        }
    }

    private static void json(ServerResponse res, Object body) {
        try {
            res.header(HeaderValues.CONTENT_TYPE_JSON).send(Json.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write state as JSON", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
