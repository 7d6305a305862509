package io.wattstream.query.api;

import com.fasterxml.jackson.databind.ObjectReader;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.Device;
import io.wattstream.model.state.DeviceState;
import io.wattstream.query.db.DeviceRepository;
import io.wattstream.query.db.MeasurementRow;
import io.wattstream.query.live.DeviceRegistry;
import io.wattstream.query.live.StateClient;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /api/devices/}: every device that has sent readings or is registered, merged from three
 * sources. PostgreSQL is required (503 without it); the stream processor is not: without it the
 * devices are still listed, with {@code "live_status": "unavailable"} and an effective threshold only
 * where the registry gives the device its own (the default is the stream processor's).
 */
public final class DevicesApi implements HttpService {

    /** Unknown fields are refused: a misspelt "treshold_w" must not silently clear the threshold. */
    private static final ObjectReader UPDATE_READER = JsonBody.reader(DeviceUpdate.class);

    private final DeviceRepository repo;
    private final DeviceRegistry registry;
    private final StateClient state;

    public DevicesApi(DeviceRepository repo, DeviceRegistry registry, StateClient state) {
        this.repo = repo;
        this.registry = registry;
        this.state = state;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/devices", this::list);
        Routes.get(rules, "/api/devices/{id}", this::one);
        Routes.put(rules, "/api/devices/{id}", this::update);
    }

    private void list(ServerRequest req, ServerResponse res) throws SQLException {
        Map<String, MeasurementRow> stored = repo.latestPerDevice();
        Map<String, Device> registered = registry.all();
        Map<String, DeviceState> live = null;
        try {
            live = state.devices();
        } catch (ApiException e) {
            if (e.status() != 503) {
                throw e;
            }
        }
        TreeSet<String> ids = new TreeSet<>(stored.keySet());
        ids.addAll(registered.keySet());
        if (live != null) {
            ids.addAll(live.keySet());
        }
        Double defaultThresholdW = live == null ? null : defaultThresholdW();
        List<DeviceRow> out = new ArrayList<>();
        for (String id : ids) {
            DeviceState l = live == null ? null : live.get(id);
            out.add(view(id, registered.get(id), stored.get(id), l, live == null ? "unavailable" : l == null ? "unknown" : "ok",
                    defaultThresholdW));
        }
        Responses.json(res, out);
    }

    private void one(ServerRequest req, ServerResponse res) throws SQLException {
        String id = Params.requireDeviceId("id", req.path().pathParameters().get("id"));
        Optional<MeasurementRow> stored = repo.latest(id);
        Device registered = registry.get(id).orElse(null);
        DeviceState live = null;
        String liveStatus;
        try {
            live = state.device(id).orElse(null);
            liveStatus = live == null ? "unknown" : "ok";
        } catch (ApiException e) {
            if (e.status() != 503) {
                throw e;
            }
            liveStatus = "unavailable";
        }
        if (stored.isEmpty() && registered == null && live == null) {
            throw ApiException.notFound("device '" + id + "' has sent no readings and is not registered");
        }
        Double defaultThresholdW = liveStatus.equals("unavailable") ? null : defaultThresholdW();
        Responses.json(res, view(id, registered, stored.orElse(null), live, liveStatus, defaultThresholdW));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = Params.requireDeviceId("id", req.path().pathParameters().get("id"));
        DeviceUpdate u = JsonBody.read(req, UPDATE_READER, "a JSON object with " + DeviceUpdate.FIELDS,
                DeviceUpdate.FIELDS, null);
        u.validated();
        Device written = registry.put(new Device(id, u.name(), u.site(), u.thresholdW(), u.maxPowerW(), u.sessionStartW(),
                u.sessionStartAfterS(), u.sessionStandbyW(), u.sessionEndAfterS()));
        Responses.json(res, written);
    }

    /** The default the stream processor applies; null when it cannot be asked. */
    private Double defaultThresholdW() {
        try {
            return state.rules().defaultThresholdW();
        } catch (ApiException e) {
            if (e.status() != 503) {
                throw e;
            }
            return null;
        }
    }

    private static DeviceRow view(String id, Device reg, MeasurementRow last, DeviceState live, String liveStatus,
                                  Double defaultThresholdW) {
        Double threshold = reg == null ? null : reg.thresholdW();
        return new DeviceRow(id,
                reg != null ? reg.name() : last != null ? last.deviceName() : null,
                reg != null ? reg.site() : last != null ? last.site() : null,
                threshold,
                threshold != null ? threshold : defaultThresholdW,
                reg != null,
                reg == null ? null : reg.sessionStartW(), reg == null ? null : reg.sessionStartAfterS(),
                reg == null ? null : reg.sessionStandbyW(), reg == null ? null : reg.sessionEndAfterS(),
                last, live, liveStatus);
    }
}
