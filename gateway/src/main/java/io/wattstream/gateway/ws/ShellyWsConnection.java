package io.wattstream.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.wattstream.kit.JsonErrors;
import io.wattstream.model.InvalidReadingException;
import io.wattstream.model.RawReading;
import io.wattstream.model.ReadingRules;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.wattstream.gateway.DeviceTokens;
import io.wattstream.gateway.Reason;
import io.wattstream.gateway.Rejection;
import io.wattstream.gateway.readings.FieldValues;
import io.wattstream.gateway.readings.WebhookParser;

/**
 * One device's outbound WebSocket: reads its JSON-RPC frames one after the other on the
 * connection's own (virtual) thread and publishes each status as the webhook does, waiting for
 * Kafka's acknowledgement before the next frame is read. There is no answer per frame, so a frame
 * that cannot be stored closes the connection ("try again later"): the device reconnects and sends
 * its full status again, and nothing after the failed frame is read as if it had been stored.
 *
 * <p>A second, virtual thread per connection pings it, closes it when it has been silent (no frame,
 * no pong) for the idle timeout, and sends the optional {@code Switch.GetStatus} polls.
 */
final class ShellyWsConnection implements WsListener {

    private static final Logger LOG = LoggerFactory.getLogger(ShellyWsConnection.class);
    private static final String BEARER = "Bearer ";
    private static final String NOTIFY_STATUS = "NotifyStatus";
    private static final String NOTIFY_FULL_STATUS = "NotifyFullStatus";
    private static final String NOTIFY_EVENT = "NotifyEvent";
    /** Polls a device has not answered are forgotten beyond this many. */
    private static final int MAX_PENDING_POLLS = 16;

    private final ShellyWsEndpoint endpoint;
    private final StringBuilder fragments = new StringBuilder();
    private final Set<Integer> channels = new ConcurrentSkipListSet<>();
    private final Map<Long, Integer> pendingPolls = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private FrameRate rate;
    private Optional<String> token = Optional.empty();
    private volatile WsSession session;
    private volatile String device;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastFrameNanos = System.nanoTime();
    private volatile Thread keepalive;

    ShellyWsConnection(ShellyWsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    // ---- connection life cycle ----

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        // Authorization: Bearer wins over ?token=, as on the webhook.
        token = headers.value(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(h -> h.substring(BEARER.length()).trim())
                .or(() -> queryToken(prologue));
        return Optional.empty();
    }

    private static Optional<String> queryToken(HttpPrologue prologue) {
        try {
            return prologue.query().first("token").asOptional();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        this.rate = new FrameRate(endpoint.settings().maxFramesPerSecond(), System.nanoTime());
        if (!endpoint.register(this)) {
            closeWith(WsReason.Close.GOING_AWAY, "the gateway is stopping; reconnect in a moment");
            return;
        }
        if (!endpoint.tokens().knows(token)) {
            // Before any frame: nothing of an unauthenticated device is ever read.
            reject(WsReason.UNAUTHORIZED, DeviceTokens.DENIED.replace("?token= or Authorization: Bearer",
                    "?token= in the server URL"));
            return;
        }
        keepalive = Thread.ofVirtual().name("ws-keepalive").start(this::keepalive);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (closed.compareAndSet(false, true)) {
            LOG.debug("WebSocket of {} closed by the device: {} {}", device, status, reason);
        }
        ended();
    }

    /** No more frames are read: the gauge drops and the keepalive thread ends. */
    private void ended() {
        endpoint.unregister(this);
        Thread k = keepalive;
        if (k != null) {
            LockSupport.unpark(k); // not interrupt: that would close the socket under a write in progress
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.warn("WebSocket of {} failed: {}", device, t.toString());
    }

    // ---- frames ----

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        lastFrameNanos = System.nanoTime();
        if (closed.get()) {
            return;
        }
        // Pings count against the frame rate too: each costs a pong.
        if (!rate.tryAcquire(System.nanoTime())) {
            reject(WsReason.RATE_LIMITED, "more than " + rate.perSecond() + " frames per second");
            return;
        }
        session.pong(buffer);
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        lastFrameNanos = System.nanoTime();
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        lastFrameNanos = System.nanoTime();
        if (!closed.get()) {
            reject(WsReason.BINARY_FRAME, "binary frames are not read; send JSON-RPC frames as text");
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        lastFrameNanos = System.nanoTime();
        if (closed.get()) {
            return; // after a close, nothing more of this connection is read
        }
        int max = endpoint.settings().maxFrameBytes();
        if (fragments.length() + text.length() > max) {
            fragments.setLength(0);
            reject(WsReason.TOO_LARGE, "a frame is at most " + max + " bytes");
            return;
        }
        if (!last) {
            fragments.append(text);
            return;
        }
        String frame = fragments.isEmpty() ? text : fragments.append(text).toString();
        fragments.setLength(0);
        if (!rate.tryAcquire(System.nanoTime())) {
            reject(WsReason.RATE_LIMITED, "more than " + rate.perSecond() + " frames per second");
            return;
        }
        try {
            handle(frame);
        } catch (RuntimeException e) {
            // Never let one frame take the handler down: close, so the device resends its full status.
            LOG.error("unexpected failure on a frame of {}", device, e);
            reject(WsReason.INTERNAL_ERROR, "internal error; the frame was not stored, reconnect");
        }
    }

    private void handle(String text) {
        JsonNode frame = null;
        try {
            frame = WebhookParser.readFrame(text);
            if (!frame.isObject()) {
                throw new FrameRefused(WsReason.NOT_A_FRAME, "a frame must be a JSON object, got " + FieldValues.kind(frame));
            }
            String src = FieldValues.text("src", frame.get("src"));
            if (src == null) {
                throw new FrameRefused(WsReason.NOT_A_FRAME, "field 'src' is required: it names the device");
            }
            if (!ReadingRules.validDeviceId(src)) {
                throw new Rejection(Reason.INVALID_DEVICE_ID, "device id in field 'src' must be 1-64 characters of [A-Za-z0-9._:-]");
            }
            if (!admit(src)) {
                return;
            }
            if (frame.has("method")) {
                JsonNode method = frame.get("method");
                if (!method.isTextual()) {
                    throw new FrameRefused(WsReason.NOT_A_FRAME, "field 'method' must be a string, got " + FieldValues.kind(method));
                }
                notification(frame, FieldValues.checkSubstituted("method", method.textValue()));
            } else if (frame.has("result") || frame.has("error")) {
                response(frame);
            } else {
                throw new FrameRefused(WsReason.NOT_A_FRAME,
                        "a frame is a notification (with 'method') or an answer (with 'result' or 'error')");
            }
        } catch (FrameRefused e) {
            answerError(frame, e.reason, e.getMessage());
        } catch (Rejection e) {
            WsReason reason = WsReason.of(e.reason());
            if (reason.closes()) {
                reject(reason, e.getMessage());
            } else {
                answerError(frame, reason, e.getMessage());
            }
        } catch (InvalidReadingException e) {
            answerError(frame, WsReason.OUT_OF_BOUNDS, e.getMessage());
        }
    }

    /**
     * Whether frames of {@code src} may be read here: the token must be that device's, and a
     * connection carries one device (the first frame's), so a poll answer cannot be taken for another.
     */
    private boolean admit(String src) {
        String pinned = device;
        if (pinned != null && !pinned.equals(src)) {
            reject(WsReason.WRONG_DEVICE, "this connection carries device '" + pinned + "'; a frame from '"
                    + JsonErrors.clip(src) + "' is refused");
            return false;
        }
        try {
            endpoint.tokens().authorize(List.of(src), token);
        } catch (Rejection e) {
            reject(WsReason.WRONG_DEVICE, "the connection's token is not the token of device '" + JsonErrors.clip(src) + "'");
            return false;
        }
        if (pinned == null) {
            device = src;
        }
        return true;
    }

    private void notification(JsonNode frame, String method) {
        switch (method) {
            case NOTIFY_STATUS, NOTIFY_FULL_STATUS -> {
                List<RawReading> readings = endpoint.parser().notification(frame, endpoint.clock());
                if (method.equals(NOTIFY_FULL_STATUS)) {
                    rememberChannels(frame.get("params"));
                }
                if (readings.isEmpty()) {
                    endpoint.metrics().wsIgnored();
                } else {
                    publish(readings);
                }
            }
            case NOTIFY_EVENT -> endpoint.metrics().wsIgnored(); // button pushes, config changes: no reading
            default -> throw new FrameRefused(WsReason.UNKNOWN_METHOD, "method '" + JsonErrors.clip(method)
                    + "' is not read here; a device sends NotifyFullStatus, NotifyStatus and NotifyEvent");
        }
    }

    /** An answer to a {@code Switch.GetStatus} this gateway sent. */
    private void response(JsonNode frame) {
        JsonNode id = frame.get("id");
        Integer channel = id != null && id.canConvertToLong() ? pendingPolls.remove(id.asLong()) : null;
        if (channel == null) {
            throw new FrameRefused(WsReason.NOT_A_FRAME, "an answer with id " + JsonErrors.clip(String.valueOf(id))
                    + " to no request this gateway sent");
        }
        if (frame.has("error")) {
            LOG.debug("{} answered Switch.GetStatus of channel {} with {}", device, channel, frame.get("error"));
            endpoint.metrics().wsIgnored();
            return;
        }
        JsonNode result = frame.get("result");
        if (result == null || !result.isObject()) {
            throw new Rejection(Reason.NOT_A_READING, "field 'result' must be the switch status object");
        }
        publish(endpoint.parser().switchResult(device, channel, result, endpoint.clock()));
    }

    /** Waits for Kafka's acknowledgement; a frame it does not acknowledge closes the connection. */
    private void publish(List<RawReading> readings) {
        Set<String> ids = new LinkedHashSet<>();
        readings.forEach(r -> ids.add(r.deviceId()));
        endpoint.tokens().authorize(ids, token);
        try {
            endpoint.publisher().publish(readings);
        } catch (Rejection e) {
            if (e.reason() == Reason.KAFKA_UNAVAILABLE) {
                reject(WsReason.KAFKA_UNAVAILABLE, "Kafka did not acknowledge the frame; it was not stored. "
                        + "Reconnect and send the full status");
                return;
            }
            throw e;
        }
        endpoint.metrics().wsAccepted(readings.size());
    }

    private void rememberChannels(JsonNode params) {
        if (params == null) {
            return;
        }
        Set<Integer> found = new TreeSet<>();
        params.fieldNames().forEachRemaining(name -> {
            if (name.matches("switch:\\d{1,2}")) {
                found.add(Integer.parseInt(name.substring("switch:".length())));
            }
        });
        if (!found.isEmpty()) {
            channels.retainAll(found);
            channels.addAll(found);
        }
    }

    // ---- answers and closes ----

    private void answerError(JsonNode frame, WsReason reason, String message) {
        endpoint.metrics().wsRejected(reason);
        LOG.warn("WebSocket frame of {} refused ({}): {}", device, reason.tag(), message);
        JsonNode id = frame != null && frame.isObject() ? frame.get("id") : null;
        send(RpcFrames.error(id, device, reason, message));
    }

    /** Counts the reason and closes the connection with its status; later frames are not read. */
    void reject(WsReason reason, String message) {
        if (closeWith(reason.closeCode(), message)) {
            endpoint.metrics().wsRejected(reason);
            LOG.warn("closed the WebSocket of {} ({}): {}", device == null ? "a device" : device, reason.tag(), message);
        }
    }

    /** Closes with {@code status} unless closed already (then false); uncounted. */
    boolean closeWith(int status, String message) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            session.close(status, RpcFrames.closeReason(message));
        } catch (RuntimeException e) {
            LOG.debug("close of a WebSocket that is gone already: {}", e.toString());
        }
        ended();
        return true;
    }

    private void send(String frame) {
        try {
            session.send(frame, true);
        } catch (RuntimeException e) {
            LOG.debug("sending to {} failed: {}", device, e.toString());
        }
    }

    // ---- keepalive and polls ----

    private void keepalive() {
        ShellyWsSettings s = endpoint.settings();
        long ping = s.pingInterval().toNanos();
        long idle = s.idleTimeout().toNanos();
        long nextPing = System.nanoTime() + ping;
        long nextPoll = Long.MAX_VALUE;
        Duration pollEvery = null;
        try {
            while (!closed.get()) {
                long now = System.nanoTime();
                if (now - lastFrameNanos > idle) {
                    reject(WsReason.IDLE_TIMEOUT, "no frame and no pong for " + s.idleTimeout().toSeconds() + " s");
                    return;
                }
                if (now - nextPing >= 0) {
                    session.ping(BufferData.empty());
                    nextPing = now + ping;
                }
                if (pollEvery == null && device != null) {
                    pollEvery = s.statusPolls().intervalFor(device).orElse(Duration.ZERO);
                    nextPoll = pollEvery.isZero() ? Long.MAX_VALUE : now + pollEvery.toNanos();
                }
                if (nextPoll != Long.MAX_VALUE && now - nextPoll >= 0) {
                    poll();
                    nextPoll = now + pollEvery.toNanos();
                }
                long wake = Math.min(Math.min(nextPing, nextPoll), lastFrameNanos + idle + 1);
                // Until the first frame names the device, look again every second for its poll interval.
                if (pollEvery == null) {
                    wake = Math.min(wake, now + 1_000_000_000L);
                }
                LockSupport.parkNanos(Math.max(1_000_000L, wake - now));
            }
        } catch (RuntimeException e) {
            // The socket is gone (the server dropped it, or the network did) without a close frame.
            LOG.debug("keepalive of {} ends: {}", device, e.toString());
            closed.set(true);
            endpoint.unregister(this);
        }
    }

    private void poll() {
        if (pendingPolls.size() > MAX_PENDING_POLLS) {
            pendingPolls.clear(); // a device that never answers: start afresh rather than grow
        }
        Set<Integer> targets = channels.isEmpty() ? Set.of(0) : Set.copyOf(channels);
        for (int channel : targets) {
            long id = nextRequestId.getAndIncrement();
            pendingPolls.put(id, channel);
            send(RpcFrames.switchGetStatus(id, channel));
        }
    }

    String device() {
        return device;
    }

    /** A frame refused for its framing, answered with a JSON-RPC error; the connection stays open. */
    private static final class FrameRefused extends RuntimeException {
        private final WsReason reason;

        FrameRefused(WsReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
