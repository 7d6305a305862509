package io.wattstream.gateway.readings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.InvalidReadingException;
import io.wattstream.model.Json;
import io.wattstream.model.RawReading;
import io.wattstream.model.RawReading.Source;
import io.wattstream.model.ReadingRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;

/**
 * Turns one webhook request into the readings it carries, or throws a {@link Rejection} that names
 * the offending field. Pure: no I/O, the time source is passed in.
 *
 * <p>Shapes: flat readings (JSON, query string, form), a JSON array of flat readings (all or
 * nothing), a Shelly action URL ({@code apower}, {@code device}, {@code ts}), a {@code switch:N}
 * status, and {@code NotifyStatus} (partial) / {@code NotifyFullStatus} frames. A status or frame
 * with several channels ({@code switch:0} .. {@code switch:3} of a Pro 2PM/4PM) gives one reading per
 * channel: channel 0 is the device itself, channel N the meter {@code <device>:<N>}.
 */
public final class WebhookParser {

    /** Floats as BigDecimal so unix seconds keep their microseconds; trailing garbage is malformed. */
    private static final ObjectReader JSON = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Most readings one request may carry. */
    public static final int MAX_BATCH = 500;

    private static final String SWITCH = "switch:0";
    private static final Pattern CHANNEL = Pattern.compile("switch:(\\d{1,2})");
    private static final String NOTIFY_STATUS = "NotifyStatus";
    private static final String NOTIFY_FULL_STATUS = "NotifyFullStatus";
    private static final String FIELD_NAMES =
            "apower, voltage, current, aenergy.total, ret_aenergy.total, freq, pf, temperature.tC, output, errors";
    /** The fields of a {@code switch:N} status that make a reading. */
    private static final List<String> READING_FIELDS = List.of("apower", "voltage", "current", "aenergy", "ret_aenergy",
            "freq", "pf", "temperature", "output", "errors");

    /**
     * @param receivedAt called once per reading, so every reading of a batch gets its own
     *                   {@code received_at}
     */
    public List<RawReading> parse(WebhookRequest request, Supplier<Instant> receivedAt) {
        ObjectNode query = FormDecoder.decode(request.rawQuery(), "query parameter");
        DeviceIds pathIds = DeviceIds.ofPath(request.pathDeviceId());
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        return switch (method) {
            case "GET" -> List.of(fromParams(query, queryShape(query), pathIds, receivedAt));
            case "POST" -> fromPost(request, query, pathIds, receivedAt);
            default -> throw new Rejection(Reason.METHOD_NOT_ALLOWED, "method " + JsonErrors.clip(method)
                    + " is not allowed on the webhook; use GET or POST");
        };
    }

    // ---- frames of a device's outbound WebSocket: the same shapes, read and validated the same way ----

    /** One text frame as JSON, read exactly as strictly as a webhook body. */
    public static JsonNode readFrame(String text) {
        return readTree(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The readings of a {@code NotifyStatus} or {@code NotifyFullStatus} frame from the outbound
     * WebSocket, exactly as the webhook reads the same frame. A {@code NotifyStatus} that carries no
     * switch reading (a change of Wi-Fi signal, uptime, an input) gives none, where the webhook would
     * answer 400: a live connection sends those all the time.
     */
    public List<RawReading> notification(JsonNode frame, Supplier<Instant> receivedAt) {
        if (NOTIFY_STATUS.equals(frame.path("method").asText()) && !carriesReading(frame.get("params"))) {
            return List.of();
        }
        return notify(frame, DeviceIds.ofPath(null), receivedAt).stream().map(r -> checked("", r)).toList();
    }

    /**
     * The reading in a {@code Switch.GetStatus} result of channel {@code channel}: a full switch status
     * without a device time, so its time is the receive time.
     */
    public List<RawReading> switchResult(String device, int channel, JsonNode result, Supplier<Instant> receivedAt) {
        ObjectNode status = Json.MAPPER.createObjectNode();
        status.put("src", device);
        status.set("switch:" + channel, result);
        return switchStatus(status, DeviceIds.ofPath(null), receivedAt).stream().map(r -> checked("", r)).toList();
    }

    /** Whether any {@code switch:N} of a partial's params holds a reading field (or is not even an object). */
    private static boolean carriesReading(JsonNode params) {
        if (params == null || !params.isObject()) {
            return true; // let the parser say what is wrong with it
        }
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (CHANNEL.matcher(name).matches()) {
                JsonNode sw = params.get(name);
                if (!sw.isObject() || READING_FIELDS.stream().anyMatch(f -> !FieldValues.absent(sw.get(f)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<RawReading> fromPost(WebhookRequest request, ObjectNode query, DeviceIds pathIds,
                                      Supplier<Instant> clock) {
        MediaKind kind = MediaKind.of(request.contentType());
        if (kind == MediaKind.NONE && request.body().length == 0) {
            // A POST that carries its reading in the URL, like a GET.
            return List.of(fromParams(query, queryShape(query), pathIds, clock));
        }
        // A body reading may still name its device in the URL (?device=...).
        DeviceIds ids = pathIds.withFields(query);
        return switch (kind) {
            case JSON -> fromJson(request.body(), ids, clock);
            case FORM -> {
                String body = new String(request.body(), StandardCharsets.UTF_8);
                if (looksLikeJson(body)) {
                    throw new Rejection(Reason.UNSUPPORTED_MEDIA_TYPE,
                            "the body is JSON but Content-Type says form data; send it as application/json");
                }
                ObjectNode form = FormDecoder.decode(body, "form field");
                yield List.of(fromParams(form, Source.FLAT_FORM, ids, clock));
            }
            case NONE -> throw new Rejection(Reason.UNSUPPORTED_MEDIA_TYPE,
                    "a POST body needs Content-Type application/json or application/x-www-form-urlencoded");
            case OTHER -> throw new Rejection(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type '"
                    + JsonErrors.clip(request.contentType())
                    + "' is not supported; use application/json or application/x-www-form-urlencoded");
        };
    }

    private static Source queryShape(ObjectNode params) {
        // Native Shelly action URLs name the power field after the device's own 'apower'.
        return params.has("apower") ? Source.SHELLY_ACTION : Source.FLAT_GET;
    }

    private RawReading fromParams(ObjectNode params, Source source, DeviceIds ids, Supplier<Instant> clock) {
        return checked("", flat(params, source, ids, clock));
    }

    private List<RawReading> fromJson(byte[] body, DeviceIds ids, Supplier<Instant> clock) {
        JsonNode root = readTree(body);
        if (root.isObject()) {
            return fromObject(root, ids, clock);
        }
        if (root.isArray()) {
            return fromArray(root, ids, clock);
        }
        throw new Rejection(Reason.NOT_A_READING, "the body must be a JSON object or an array of objects, got "
                + FieldValues.kind(root));
    }

    private static JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw new Rejection(Reason.MALFORMED_BODY, "the body is empty; send a JSON object");
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new Rejection(Reason.MALFORMED_BODY, "the body is empty; send a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Rejection(Reason.MALFORMED_BODY, "malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + jacksonMessage(e));
        } catch (IOException e) {
            throw new Rejection(Reason.MALFORMED_BODY, "unreadable JSON body: " + e.getMessage());
        }
    }

    /** Jackson's wording, minus the source reference and tips about its own settings. */
    private static String jacksonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        m = m.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)", "");
        int tip = m.indexOf(": enable `");
        return tip < 0 ? m : m.substring(0, tip) + " (NaN and Infinity are not JSON numbers)";
    }

    private List<RawReading> fromObject(JsonNode o, DeviceIds ids, Supplier<Instant> clock) {
        if (o.has("method")) {
            return notify(o, ids, clock).stream().map(r -> checked("", r)).toList();
        }
        if (hasSwitch(o)) {
            return switchStatus(o, ids, clock).stream().map(r -> checked("", r)).toList();
        }
        return List.of(checked("", flat(o, Source.FLAT_POST, ids, clock)));
    }

    private static boolean hasSwitch(JsonNode o) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            if (CHANNEL.matcher(it.next()).matches()) {
                return true;
            }
        }
        return false;
    }

    private List<RawReading> fromArray(JsonNode array, DeviceIds ids, Supplier<Instant> clock) {
        if (array.isEmpty()) {
            throw new Rejection(Reason.NOT_A_READING, "the array is empty; send at least one reading");
        }
        if (array.size() > MAX_BATCH) {
            // Bounds the work (and the publish wait) one request can cause, whatever the body limit allows.
            throw new Rejection(Reason.PAYLOAD_TOO_LARGE, "a batch holds at most " + MAX_BATCH
                    + " readings, got " + array.size() + "; split it into several requests");
        }
        List<RawReading> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            String prefix = "element [" + i + "]: ";
            if (!element.isObject()) {
                throw new Rejection(Reason.NOT_A_READING, prefix + "a batch must be an array of reading objects, got "
                        + FieldValues.kind(element));
            }
            if (element.has("method") || hasSwitch(element)) {
                throw new Rejection(Reason.NOT_A_READING, prefix + "only flat readings can be sent as an array");
            }
            try {
                out.add(checked(prefix, flat(element, Source.FLAT_BATCH, ids, clock)));
            } catch (Rejection e) {
                throw e.getMessage().startsWith(prefix) ? e : new Rejection(e.reason(), prefix + e.getMessage());
            }
        }
        return out;
    }

    /** Flat fields: power (alias apower), voltage, current, energy required; the rest optional. */
    private RawReading flat(JsonNode o, Source source, DeviceIds ids, Supplier<Instant> clock) {
        String powerField = oneOf(o, "power", "apower");
        Double power = FieldValues.number(powerField, o.get(powerField));
        Double voltage = FieldValues.number("voltage", o.get("voltage"));
        Double current = FieldValues.number("current", o.get("current"));
        Double energy = FieldValues.number("energy", o.get("energy"));
        require(power, "power", " (or 'apower')");
        require(voltage, "voltage", "");
        require(current, "current", "");
        require(energy, "energy", "");
        String tempField = oneOf(o, "temperature_c", "temperature");
        Double temperature = FieldValues.number(tempField, o.get(tempField));
        Double freq = FieldValues.number("freq", o.get("freq"));
        Double pf = FieldValues.number("pf", o.get("pf"));
        Boolean output = FieldValues.bool("output", o.get("output"));
        Double returned = FieldValues.number("energy_returned", o.get("energy_returned"));
        String errors = FieldValues.errors("errors", o.get("errors"), false);

        String timeField = oneOf(o, "timestamp", "ts");
        Instant deviceTime = timeField.equals("timestamp")
                ? DeviceTimes.iso("timestamp", o.get("timestamp"))
                : DeviceTimes.unixSeconds("ts", o.get("ts"));
        return reading(ids.withFields(o).resolve(), power, voltage, current, energy, deviceTime, clock, source,
                freq, pf, temperature, output, false).toBuilder().energyReturned(returned).errors(errors).build();
    }

    /** A {@code switch:N} status posted by a device script: {@code src}, {@code ts}, {@code switch:0} ... */
    private List<RawReading> switchStatus(JsonNode o, DeviceIds ids, Supplier<Instant> clock) {
        DeviceIds all = ids.withField("src", FieldValues.text("src", o.get("src")));
        Instant deviceTime = DeviceTimes.unixSeconds("ts", o.get("ts"));
        return channels(o, "", Source.SWITCH_STATUS, false, all, deviceTime, clock);
    }

    /** A Shelly RPC notification: {@code NotifyStatus} carries only what changed. */
    private List<RawReading> notify(JsonNode o, DeviceIds ids, Supplier<Instant> clock) {
        String method = FieldValues.text("method", o.get("method"));
        boolean partial;
        Source source;
        if (NOTIFY_STATUS.equals(method)) {
            partial = true;
            source = Source.NOTIFY_STATUS;
        } else if (NOTIFY_FULL_STATUS.equals(method)) {
            partial = false;
            source = Source.NOTIFY_FULL_STATUS;
        } else {
            throw new Rejection(Reason.NOT_A_READING, "field 'method' is '" + JsonErrors.clip(method)
                    + "'; only NotifyStatus and NotifyFullStatus frames carry readings");
        }
        JsonNode params = o.get("params");
        if (params == null || !params.isObject()) {
            throw new Rejection(Reason.NOT_A_READING, "field 'params' must be an object in a " + method + " frame");
        }
        DeviceIds all = ids.withField("src", FieldValues.text("src", o.get("src")));
        Instant deviceTime = DeviceTimes.unixSeconds("params.ts", params.get("ts"));
        return channels(params, "params.", source, partial, all, deviceTime, clock);
    }

    /**
     * One reading per {@code switch:N} field, in channel order. Channel 0 is the device itself (so a
     * single-channel device keeps its plain id); channel N > 0 is the meter {@code <device>:<N>}. In a
     * partial, a channel that carries none of the reading's fields is skipped.
     */
    private List<RawReading> channels(JsonNode parent, String prefix, Source source, boolean partial, DeviceIds ids,
                                      Instant deviceTime, Supplier<Instant> clock) {
        TreeMap<Integer, String> found = new TreeMap<>();
        for (Iterator<String> it = parent.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            Matcher m = CHANNEL.matcher(name);
            if (m.matches()) {
                found.put(Integer.parseInt(m.group(1)), name);
            }
        }
        if (found.isEmpty()) {
            found.put(0, SWITCH);
        }
        String device = ids.resolve();
        List<RawReading> out = new ArrayList<>(found.size());
        for (var channel : found.entrySet()) {
            String id = channel.getKey() == 0 ? device : device + ":" + channel.getKey();
            JsonNode sw = parent.get(channel.getValue());
            RawReading r = fromSwitch(sw, prefix + channel.getValue(), source, partial, id, deviceTime, clock,
                    found.size() > 1);
            if (r != null) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new Rejection(Reason.NOT_A_READING, "no channel of this " + source.name() + " frame carries any of "
                    + FIELD_NAMES);
        }
        return out;
    }

    /** One channel's reading; null for a partial channel that carries nothing when others may. */
    private RawReading fromSwitch(JsonNode sw, String path, Source source, boolean partial, String deviceId,
                                  Instant deviceTime, Supplier<Instant> clock, boolean severalChannels) {
        if (sw == null || sw.isNull()) {
            throw new Rejection(Reason.NOT_A_READING, "field '" + path + "' is required: it holds the meter's reading");
        }
        if (!sw.isObject()) {
            throw new Rejection(Reason.NOT_A_READING, "field '" + path + "' must be an object, got " + FieldValues.kind(sw));
        }
        Double power = FieldValues.number(path + ".apower", sw.get("apower"));
        Double voltage = FieldValues.number(path + ".voltage", sw.get("voltage"));
        Double current = FieldValues.number(path + ".current", sw.get("current"));
        Double energy = FieldValues.number(path + ".aenergy.total", object(sw, path + ".aenergy").get("total"));
        Double freq = FieldValues.number(path + ".freq", sw.get("freq"));
        Double pf = FieldValues.number(path + ".pf", sw.get("pf"));
        Double temperature = FieldValues.number(path + ".temperature.tC", object(sw, path + ".temperature").get("tC"));
        Boolean output = FieldValues.bool(path + ".output", sw.get("output"));
        Double returned = FieldValues.number(path + ".ret_aenergy.total", object(sw, path + ".ret_aenergy").get("total"));
        String errors = FieldValues.errors(path + ".errors", sw.get("errors"), partial);
        if (partial) {
            if (power == null && voltage == null && current == null && energy == null && freq == null && pf == null
                    && temperature == null && output == null && returned == null && errors == null) {
                if (severalChannels) {
                    return null;
                }
                throw new Rejection(Reason.NOT_A_READING, "field '" + path + "' carries none of " + FIELD_NAMES);
            }
        } else {
            require(power, path + ".apower", "");
            require(voltage, path + ".voltage", "");
            require(current, path + ".current", "");
            require(energy, path + ".aenergy.total", "");
        }
        return reading(deviceId, power, voltage, current, energy, deviceTime, clock, source,
                freq, pf, temperature, output, partial).toBuilder().energyReturned(returned).errors(errors).build();
    }

    private static RawReading reading(String deviceId, Double power, Double voltage, Double current, Double energy,
                                      Instant deviceTime, Supplier<Instant> clock, Source source, Double freq,
                                      Double pf, Double temperature, Boolean output, boolean partial) {
        Instant receivedAt = clock.get();
        return RawReading.builder().deviceId(deviceId).power(power).voltage(voltage).current(current).energy(energy)
                .timestamp(deviceTime != null ? deviceTime : receivedAt).receivedAt(receivedAt).source(source)
                .freq(freq).pf(pf).temperatureC(temperature).output(output).partial(partial)
                .deviceTime(deviceTime != null).build();
    }

    /** The shared physical bounds; field presence and types were checked already. */
    private static RawReading checked(String prefix, RawReading r) {
        try {
            ReadingRules.validate(r);
            return r;
        } catch (InvalidReadingException e) {
            throw new Rejection(Reason.OUT_OF_BOUNDS, prefix + e.getMessage());
        }
    }

    /** An optional nested object ({@code aenergy}, {@code temperature}); missing reads as empty. */
    private static JsonNode object(JsonNode parent, String path) {
        String name = path.substring(path.lastIndexOf('.') + 1);
        JsonNode node = parent.get(name);
        if (FieldValues.absent(node)) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!node.isObject()) {
            throw new Rejection(Reason.INVALID_VALUE, "field '" + path + "' must be an object, got " + FieldValues.kind(node));
        }
        return node;
    }

    /** Two names for one value: either may be sent, not both (which one would win?). */
    private static String oneOf(JsonNode o, String name, String alias) {
        boolean hasName = !FieldValues.absent(o.get(name));
        boolean hasAlias = !FieldValues.absent(o.get(alias));
        if (hasName && hasAlias) {
            throw new Rejection(Reason.INVALID_VALUE, "fields '" + name + "' and '" + alias + "' are both given; send one");
        }
        return hasAlias ? alias : name;
    }

    private static void require(Double value, String field, String hint) {
        if (value == null) {
            throw new Rejection(Reason.MISSING_FIELD, "field '" + field + "'" + hint + " is required");
        }
    }

    private static boolean looksLikeJson(String body) {
        String t = body.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /** How a POST body is encoded, from its Content-Type. */
    enum MediaKind {
        NONE, JSON, FORM, OTHER;

        static MediaKind of(String contentType) {
            if (contentType == null || contentType.isBlank()) {
                return NONE;
            }
            int semi = contentType.indexOf(';');
            String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
            if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))) {
                return JSON;
            }
            if (type.equals("application/x-www-form-urlencoded")) {
                return FORM;
            }
            return OTHER;
        }
    }
}
