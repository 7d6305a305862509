package io.wattstream.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wattstream.model.Json;
import java.nio.charset.StandardCharsets;

/**
 * The frames the gateway sends over a device's outbound WebSocket, in the device's own JSON-RPC
 * framing ({@code id}, {@code src}, {@code dst}, then {@code method}/{@code params} for a request or
 * {@code error} for an answer), and the bound on a close reason. Pure.
 */
final class RpcFrames {

    /** The {@code src} of every frame the gateway sends, the {@code dst} devices address it by. */
    static final String SOURCE = "wattstream";

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;

    /** A close frame's payload is at most 125 bytes, two of them the status. */
    static final int MAX_CLOSE_REASON_BYTES = 123;

    private RpcFrames() {
    }

    /**
     * An error answer. {@code id} is the refused frame's own id when it had one (JSON-RPC answers a
     * notification it cannot read with a null id); {@code data.reason} is the metric's tag.
     */
    static String error(JsonNode id, String device, WsReason reason, String message) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.set("id", id == null || !(id.isIntegralNumber() || id.isTextual()) ? NullNode.getInstance() : id);
        frame.put("src", SOURCE);
        if (device != null) {
            frame.put("dst", device);
        }
        ObjectNode error = frame.putObject("error");
        error.put("code", reason.rpcCode());
        error.put("message", message);
        error.putObject("data").put("reason", reason.tag());
        return write(frame);
    }

    /** {@code Switch.GetStatus} for one channel. */
    static String switchGetStatus(long id, int channel) {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("id", id);
        frame.put("src", SOURCE);
        frame.put("method", "Switch.GetStatus");
        frame.putObject("params").put("id", channel);
        return write(frame);
    }

    /** {@code text} cut to what a close frame can carry, on a character boundary. */
    static String closeReason(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_CLOSE_REASON_BYTES) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 3; // the "..." that ends a cut reason
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_CLOSE_REASON_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += len;
            i += Character.charCount(cp);
        }
        return out.append("...").toString();
    }

    private static String write(ObjectNode frame) {
        try {
            return Json.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }
}
