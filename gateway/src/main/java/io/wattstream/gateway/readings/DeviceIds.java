package io.wattstream.gateway.readings;

import com.fasterxml.jackson.databind.JsonNode;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.ReadingRules;
import java.util.ArrayList;
import java.util.List;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * The places a request may name its device (path segment, {@code device_id}/{@code device} in the
 * query, form or JSON, {@code src} in a Shelly frame). They must all agree; none means
 * {@value ReadingRules#DEFAULT_DEVICE}. Immutable.
 */
final class DeviceIds {

    private record Candidate(String where, String value) {
    }

    private final List<Candidate> candidates;

    private DeviceIds(List<Candidate> candidates) {
        this.candidates = candidates;
    }

    static DeviceIds ofPath(String pathDeviceId) {
        List<Candidate> c = new ArrayList<>();
        if (pathDeviceId != null) {
            c.add(new Candidate("the path", FieldValues.checkSubstituted("device_id", pathDeviceId)));
        }
        return new DeviceIds(List.copyOf(c));
    }

    /** Adds {@code device_id} and its alias {@code device} from a flat object. */
    DeviceIds withFields(JsonNode o) {
        return withField("device_id", FieldValues.text("device_id", o.get("device_id")))
                .withField("device", FieldValues.text("device", o.get("device")));
    }

    DeviceIds withField(String name, String value) {
        if (value == null) {
            return this;
        }
        List<Candidate> c = new ArrayList<>(candidates);
        c.add(new Candidate("field '" + name + "'", value));
        return new DeviceIds(List.copyOf(c));
    }

    /** The one device id the request names, validated; the default device when it names none. */
    String resolve() {
        if (candidates.isEmpty()) {
            return ReadingRules.DEFAULT_DEVICE;
        }
        Candidate first = candidates.get(0);
        for (Candidate other : candidates) {
            if (!other.value().equals(first.value())) {
                throw new Rejection(Reason.INVALID_DEVICE_ID, "device id '" + JsonErrors.clip(first.value()) + "' ("
                        + first.where() + ") differs from '" + JsonErrors.clip(other.value()) + "' (" + other.where()
                        + "); name one device per reading");
            }
        }
        if (!ReadingRules.validDeviceId(first.value())) {
            throw new Rejection(Reason.INVALID_DEVICE_ID, "device id in " + first.where()
                    + " must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        return first.value();
    }
}
