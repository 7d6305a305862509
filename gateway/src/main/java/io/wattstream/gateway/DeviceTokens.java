package io.wattstream.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Optional per-device secrets ({@code GATEWAY_TOKENS=device:token,...}). When none are configured
 * every request passes, as with the prototype. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither their content nor their length shows in the timing, and
 * an unknown device is checked against a random digest so it answers exactly like a wrong token.
 */
public final class DeviceTokens {

    public static final String DENIED = "missing or invalid token for this device; send it as ?token= or Authorization: Bearer";

    private final Map<String, byte[]> digests;
    private final byte[] decoy;

    private DeviceTokens(Map<String, byte[]> digests) {
        this.digests = Map.copyOf(digests);
        this.decoy = sha256(new SecureRandom().generateSeed(32));
    }

    public static DeviceTokens none() {
        return new DeviceTokens(Map.of());
    }

    /**
     * Parses {@code device:token,device:token}. Device ids may contain ':', so the token is what
     * follows the last ':'; a token therefore holds neither ',' nor ':'.
     */
    public static DeviceTokens parse(String spec) {
        Map<String, byte[]> digests = new HashMap<>();
        entries(spec).forEach((device, token) -> digests.put(device, sha256(token.getBytes(StandardCharsets.UTF_8))));
        return new DeviceTokens(digests);
    }

    /** The plain {@code device -> token} entries of a spec (for a client that sends them, like the simulator). */
    public static Map<String, String> entries(String spec) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            String[] parts = spec.split(",");
            for (int i = 0; i < parts.length; i++) {
                String entry = parts[i].trim();
                if (entry.isEmpty()) {
                    continue;
                }
                int colon = entry.lastIndexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    // Never echo the entry: it holds a secret.
                    throw new IllegalArgumentException("device token entry #" + (i + 1)
                            + " is not of the form device:token");
                }
                entries.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
            }
        }
        return entries;
    }

    /** A multi-channel device's meter {@code <device>:<N>} presents its device's token. */
    private static String channelOf(String meter) {
        int colon = meter.lastIndexOf(':');
        boolean channel = colon > 0 && colon >= meter.length() - 3 && colon < meter.length() - 1
                && meter.substring(colon + 1).chars().allMatch(Character::isDigit);
        return channel ? meter.substring(0, colon) : "";
    }

    public boolean enabled() {
        return !digests.isEmpty();
    }

    public int size() {
        return digests.size();
    }

    /** Passes when tokens are off, or when the presented token belongs to every device named. */
    public void authorize(Collection<String> deviceIds, Optional<String> presented) {
        if (!enabled()) {
            return;
        }
        byte[] given = sha256(presented.orElse("").getBytes(StandardCharsets.UTF_8));
        boolean ok = presented.isPresent() && !deviceIds.isEmpty();
        for (String device : deviceIds) {
            byte[] expected = digests.getOrDefault(device, digests.getOrDefault(channelOf(device), decoy));
            // Evaluate every comparison, and the decoy's, so the time does not depend on which failed.
            ok &= MessageDigest.isEqual(expected, given) & expected != decoy;
        }
        if (!ok) {
            throw new Rejection(Reason.UNAUTHORIZED, DENIED);
        }
    }

    /**
     * Whether {@code presented} is some device's token (always, when tokens are off): the outbound
     * WebSocket checks this on connect, before the first frame names its device. Every entry is
     * compared, so the time does not tell which matched.
     */
    public boolean knows(Optional<String> presented) {
        if (!enabled()) {
            return true;
        }
        byte[] given = sha256(presented.orElse("").getBytes(StandardCharsets.UTF_8));
        boolean found = false;
        for (byte[] expected : digests.values()) {
            found |= MessageDigest.isEqual(expected, given);
        }
        return found & presented.isPresent();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
