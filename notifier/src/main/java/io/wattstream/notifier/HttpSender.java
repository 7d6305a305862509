package io.wattstream.notifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.wattstream.model.Alert;
import io.wattstream.model.Json;
import io.wattstream.model.NotifyChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP channels: the generic signed JSON webhook, ntfy (text to a topic URL with Title, Priority
 * and Tags headers) and Slack incoming webhooks ({@code {"text": ...}}). 2xx is delivered; 408, 425,
 * 429, 5xx and network errors are retried; any other status (including redirects, which are not
 * followed) is a refusal that retrying would not change.
 */
final class HttpSender implements Sender {

    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String TIMESTAMP_HEADER = "X-Wattstream-Timestamp";
    static final String EVENT_HEADER = "X-Wattstream-Event";
    private static final int MAX_DETAIL = 300;

    private final HttpClient client;
    private final Duration timeout;

    HttpSender(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The generic webhook's body. {@code sent_at} is inside the signed bytes, so a receiver can refuse
     * a replayed request by its age; it is the same instant as {@code X-Wattstream-Timestamp}.
     */
    record WebhookBody(String event, String idempotencyKey, Instant sentAt, String channelId,
                       String deviceId, String deviceName, String site, Alert.Kind kind, Alert.State state,
                       Double thresholdW, Double powerW, Double peakW, Instant startedAt, Instant endedAt,
                       Double durationS, String detail, Integer reminder) {

        static WebhookBody of(NotifyChannel channel, Transition t, Instant sentAt) {
            Alert a = t.alert();
            return new WebhookBody(HttpSender.event(t), t.idempotencyKey(), sentAt, channel.id(), a.deviceId(),
                    t.device() == null ? null : t.device().name(), t.site(), a.kind(), a.state(),
                    a.thresholdW(), a.powerW(), a.peakW(), a.startedAt(), a.endedAt(), a.durationS(),
                    a.detail().isEmpty() ? null : a.detail(), t.reminder() == 0 ? null : t.reminder());
        }
    }

    static String event(Transition t) {
        if (t.reminder() > 0) {
            return "alert.reminder";
        }
        return switch (t.alert().state()) {
            case RAISED -> "alert.raised";
            case CLEARED -> "alert.cleared";
            case EVENT -> "alert.event";
        };
    }

    @Override
    public Attempt send(NotifyChannel channel, Transition t, Instant sentAt) throws InterruptedException {
        HttpRequest request;
        try {
            request = request(channel, t, sentAt);
        } catch (IllegalArgumentException e) {
            // Not e's message: it may quote the URL, and a Slack URL is a secret.
            return Attempt.refused(null, "cannot build a request for channel " + channel.id() + " (check its url and headers)");
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String detail;
            try (InputStream body = response.body()) {
                detail = "HTTP " + status + snippet(body);
            }
            if (status >= 200 && status < 300) {
                return Attempt.delivered(status);
            }
            if (status == 408 || status == 425 || status == 429 || status >= 500) {
                return Attempt.retry(status, detail, retryAfter(response));
            }
            return Attempt.refused(status, detail);
        } catch (IOException e) {
            return Attempt.retry(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
        }
    }

    HttpRequest request(NotifyChannel channel, Transition t, Instant sentAt) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(channel.url()))
                .timeout(timeout)
                .header("User-Agent", "Wattstream-Notifier")
                .header(IDEMPOTENCY_HEADER, t.idempotencyKey())
                .header(EVENT_HEADER, event(t));
        return switch (channel.type()) {
            case WEBHOOK -> webhook(b, channel, t, sentAt);
            case NTFY -> ntfy(b, channel, t);
            case SLACK -> b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json(Map.of("text", slackText(t))))).build();
            case EMAIL -> throw new IllegalArgumentException("an EMAIL channel is not sent over HTTP");
        };
    }

    private static HttpRequest webhook(HttpRequest.Builder b, NotifyChannel channel, Transition t, Instant sentAt) {
        byte[] body = json(WebhookBody.of(channel, t, sentAt));
        return b.header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, Long.toString(sentAt.getEpochSecond()))
                .header(Signatures.HEADER, Signatures.sign(channel.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static HttpRequest ntfy(HttpRequest.Builder b, NotifyChannel channel, Transition t) {
        b.header("Content-Type", "text/plain; charset=utf-8")
                .header("Title", headerText(AlertText.title(t)))
                .header("Priority", t.cleared() ? "default" : "high")
                .header("Tags", switch (t.alert().state()) {
                    case RAISED -> "warning";
                    case CLEARED -> "white_check_mark";
                    case EVENT -> "information_source";
                });
        if (channel.secret() != null) {
            b.header("Authorization", "Bearer " + channel.secret());
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(AlertText.body(t), StandardCharsets.UTF_8)).build();
    }

    /** Slack's text: its three control characters escaped, the title in bold. */
    static String slackText(Transition t) {
        return "*" + slackEscape(AlertText.title(t)) + "*\n" + slackEscape(AlertText.body(t));
    }

    private static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Header values are ASCII; anything else goes as an RFC 2047 encoded word, which ntfy decodes. */
    static String headerText(String s) {
        if (s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return s;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the notification body", e);
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.get().trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String snippet(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_DETAIL);
        String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "" : ": " + text;
    }
}
