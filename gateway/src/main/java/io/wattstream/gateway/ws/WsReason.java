package io.wattstream.gateway.ws;

import java.util.Locale;
import io.wattstream.gateway.Reason;

/**
 * Why the outbound WebSocket turned a frame or a connection away: answered with a JSON-RPC error
 * frame (the connection stays open) or a close with that status, and counted under its tag in
 * {@code gateway_ws_frames_rejected_total{reason=...}}.
 */
public enum WsReason {
    MALFORMED_JSON(RpcFrames.PARSE_ERROR, 0),
    NOT_A_FRAME(RpcFrames.INVALID_REQUEST, 0),
    UNKNOWN_METHOD(RpcFrames.METHOD_NOT_FOUND, 0),
    NOT_A_READING(RpcFrames.INVALID_PARAMS, 0),
    MISSING_FIELD(RpcFrames.INVALID_PARAMS, 0),
    INVALID_VALUE(RpcFrames.INVALID_PARAMS, 0),
    OUT_OF_BOUNDS(RpcFrames.INVALID_PARAMS, 0),
    UNSUBSTITUTED_TOKEN(RpcFrames.INVALID_PARAMS, 0),
    INVALID_DEVICE_ID(RpcFrames.INVALID_PARAMS, 0),
    INVALID_TIMESTAMP(RpcFrames.INVALID_PARAMS, 0),
    BINARY_FRAME(0, Close.CANNOT_ACCEPT),
    TOO_LARGE(0, Close.TOO_BIG),
    RATE_LIMITED(0, Close.POLICY_VIOLATION),
    UNAUTHORIZED(0, Close.POLICY_VIOLATION),
    WRONG_DEVICE(0, Close.POLICY_VIOLATION),
    KAFKA_UNAVAILABLE(0, Close.TRY_AGAIN_LATER),
    IDLE_TIMEOUT(0, Close.GOING_AWAY),
    INTERNAL_ERROR(0, Close.INTERNAL_ERROR);

    /** The WebSocket close statuses the gateway sends (RFC 6455, section 7.4.1). */
    public static final class Close {
        public static final int NORMAL = 1000;
        public static final int GOING_AWAY = 1001;
        public static final int CANNOT_ACCEPT = 1003;
        public static final int POLICY_VIOLATION = 1008;
        public static final int TOO_BIG = 1009;
        public static final int INTERNAL_ERROR = 1011;
        public static final int TRY_AGAIN_LATER = 1013;

        private Close() {
        }
    }

    private final int rpcCode;
    private final int closeCode;

    WsReason(int rpcCode, int closeCode) {
        this.rpcCode = rpcCode;
        this.closeCode = closeCode;
    }

    /** The JSON-RPC error code of the answer, or 0 when the connection is closed instead. */
    public int rpcCode() {
        return rpcCode;
    }

    /** The close status, or 0 when the frame gets an error frame and the connection stays open. */
    public int closeCode() {
        return closeCode;
    }

    public boolean closes() {
        return closeCode != 0;
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The parser's reason for a frame it refused, under the name the WebSocket counts it. */
    static WsReason of(Reason reason) {
        return switch (reason) {
            case MALFORMED_BODY -> MALFORMED_JSON;
            case NOT_A_READING -> NOT_A_READING;
            case MISSING_FIELD -> MISSING_FIELD;
            case INVALID_VALUE -> INVALID_VALUE;
            case OUT_OF_BOUNDS -> OUT_OF_BOUNDS;
            case UNSUBSTITUTED_TOKEN -> UNSUBSTITUTED_TOKEN;
            case INVALID_DEVICE_ID -> INVALID_DEVICE_ID;
            case INVALID_TIMESTAMP -> INVALID_TIMESTAMP;
            case PAYLOAD_TOO_LARGE -> TOO_LARGE;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case KAFKA_UNAVAILABLE -> KAFKA_UNAVAILABLE;
            case INTERNAL_ERROR -> INTERNAL_ERROR;
            default -> NOT_A_FRAME;
        };
    }
}
