package io.wattstream.gateway.readings;

/**
 * What the parser needs from one HTTP request, free of any server type so it can be built in a
 * table-driven test.
 *
 * @param method       HTTP method, upper case
 * @param pathDeviceId the {@code {device_id}} path segment, decoded, or null
 * @param rawQuery     the query string as sent (still percent-encoded, without {@code ?}), or null
 * @param contentType  the {@code Content-Type} header as sent, or null
 * @param body         the request body, empty when there is none
 */
public record WebhookRequest(String method, String pathDeviceId, String rawQuery, String contentType, byte[] body) {

    public WebhookRequest {
        body = body == null ? new byte[0] : body;
    }

    public static WebhookRequest get(String rawQuery) {
        return new WebhookRequest("GET", null, rawQuery, null, null);
    }

    public static WebhookRequest post(String contentType, byte[] body) {
        return new WebhookRequest("POST", null, null, contentType, body);
    }

    public WebhookRequest withPathDeviceId(String deviceId) {
        return new WebhookRequest(method, deviceId, rawQuery, contentType, body);
    }
}
