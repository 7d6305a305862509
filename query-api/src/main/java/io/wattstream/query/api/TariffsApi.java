package io.wattstream.query.api;

import com.fasterxml.jackson.databind.ObjectReader;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.wattstream.model.InvalidTariffException;
import io.wattstream.model.Tariff;
import io.wattstream.model.TariffRules;
import io.wattstream.query.live.TariffRegistry;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/tariffs/}: time-of-use tariffs by id. {@code PUT} checks a tariff whole (every minute of the
 * week in exactly one zone, no overlap with another tariff of its site, meter or the default) and answers
 * once Kafka has acknowledged it on {@code shelly.tariffs}, from where the stream processor prices the
 * readings that follow; history is re-priced by a replay.
 */
public final class TariffsApi implements HttpService {

    static final String FIELDS = "name, site, device_id, currency, time_zone, valid_from, valid_to, zones "
            + "(each: name, days, from, to, price_per_kwh)";
    private static final ObjectReader READER = JsonBody.reader(TariffUpdate.class);

    /** The body of {@code PUT /api/tariffs/{id}}; {@code valid_from} / {@code valid_to} a date or a time. */
    record TariffUpdate(String name, String site, String deviceId, String currency, String timeZone, String validFrom,
                        String validTo, List<Tariff.Zone> zones) {
    }

    private final TariffRegistry registry;

    public TariffsApi(TariffRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.get(rules, "/api/tariffs", this::list);
        Routes.get(rules, "/api/tariffs/{id}", this::one);
        Routes.put(rules, "/api/tariffs/{id}", this::put);
        Routes.delete(rules, "/api/tariffs/{id}", this::delete);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Params p = Params.of(req.query());
        String site = p.site().orElse(null);
        String device = p.device("device").orElse(null);
        Responses.json(res, registry.all().stream()
                .filter(t -> site == null || site.equals(t.site()))
                .filter(t -> device == null || device.equals(t.deviceId()))
                .toList());
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Responses.json(res, registry.get(id).orElseThrow(() -> ApiException.notFound("no tariff '" + id + "'")));
    }

    private void put(ServerRequest req, ServerResponse res) {
        String id = id(req);
        TariffUpdate u = JsonBody.read(req, READER, "a JSON object with " + FIELDS, FIELDS, null);
        try {
            ZoneId zone = TariffRules.zoneId(u.timeZone());
            Tariff t = TariffRules.validated(new Tariff(id, u.name(), u.site(), u.deviceId(), u.currency(), u.timeZone(),
                    time("valid_from", u.validFrom(), zone), time("valid_to", u.validTo(), zone), u.zones()));
            Responses.json(res, registry.put(t));
        } catch (InvalidTariffException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = id(req);
        if (!registry.delete(id)) {
            throw ApiException.notFound("no tariff '" + id + "'");
        }
        Responses.json(res, Map.of("deleted", id));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!TariffRules.TARIFF_ID.matcher(id).matches()) {
            throw ApiException.badRequest("parameter 'id' must be a tariff id of 1-64 characters [A-Za-z0-9._-], got '"
                    + Params.abbreviate(id) + "'");
        }
        return id;
    }

    /** A date is its midnight in the tariff's time zone, a local time is in that zone, else an ISO-8601 instant. */
    static Instant time(String field, String value, ZoneId zone) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(zone).toInstant();
            }
            if (!v.endsWith("Z") && !v.matches(".*[+-]\\d{2}:?\\d{2}$")) {
                return LocalDateTime.parse(v).atZone(zone).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidTariffException("field '" + field + "' must be a date (2026-01-01: midnight in the tariff's "
                    + "time zone) or an ISO-8601 time (2026-01-01T06:00:00Z), got '" + Params.abbreviate(v) + "'");
        }
    }
}
