package io.wattstream.kit.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens a service accepts, kept only as SHA-256 digests. A presented token is hashed and
 * compared with every stored digest by {@link MessageDigest#isEqual} (constant time, no early exit),
 * so the time an answer takes says nothing about which tokens exist or how close a guess came.
 *
 * <p>A token is a random secret of at least {@value #MIN_LENGTH} characters; {@link #generate()}
 * makes one from 256 random bits. A digest alone is safe to keep in configuration: SHA-256 of a
 * 256-bit random value cannot be reversed or guessed, which is why no slow password hash is needed
 * for tokens.
 */
public final class ApiTokens {

    /** Shortest token accepted: 32 characters of base64 carry more than 190 bits. */
    public static final int MIN_LENGTH = 32;
    /** The prefix of generated tokens, so that secret scanners and people recognise them. */
    public static final String PREFIX = "wst_";
    /** The name of the admin token given in plain ({@code AUTH_ADMIN_TOKEN}). */
    public static final String ADMIN_NAME = "admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private record Entry(Principal principal, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A new token: {@value #PREFIX} and 256 random bits, base64url without padding (47 characters). */
    public static String generate() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** The lower-case hex SHA-256 of a token's UTF-8 bytes, as {@code AUTH_TOKENS} entries carry it. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /**
     * The tokens of a configuration: {@code adminToken} in plain (blank for none), named {@value #ADMIN_NAME},
     * and {@code entries} as {@code name:role:sha256hex,...}. Errors never quote a token or an entry.
     *
     * @throws IllegalArgumentException for a short admin token or a malformed entry (named by its position)
     */
    public static ApiTokens of(String adminToken, String entries) {
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (adminToken != null && !adminToken.isBlank()) {
            if (adminToken.strip().length() < MIN_LENGTH) {
                throw new IllegalArgumentException("the admin token must be at least " + MIN_LENGTH
                        + " characters of random text (e.g. openssl rand -base64 32)");
            }
            out.add(new Entry(new Principal(ADMIN_NAME, Role.ADMIN), sha256(adminToken.strip())));
            names.add(ADMIN_NAME);
        }
        if (entries != null && !entries.isBlank()) {
            String[] parts = entries.split(",");
            for (int i = 0; i < parts.length; i++) {
                String entry = parts[i].strip();
                if (entry.isEmpty()) {
                    continue;
                }
                String[] f = entry.split(":", -1);
                String where = "token entry #" + (i + 1);
                if (f.length != 3 || !f[0].strip().matches("[A-Za-z0-9._@-]{1,64}")) {
                    throw new IllegalArgumentException(where + " is not name:role:sha256-hex (a name of 1-64 of A-Z a-z 0-9 . _ @ -)");
                }
                Role role;
                try {
                    role = Role.parse(f[1]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage());
                }
                String hex = f[2].strip().toLowerCase(java.util.Locale.ROOT);
                if (!hex.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException(where + ": the digest must be 64 hex digits (the SHA-256 of the token)");
                }
                if (!names.add(f[0].strip())) {
                    throw new IllegalArgumentException(where + ": the name " + f[0].strip() + " is given twice");
                }
                out.add(new Entry(new Principal(f[0].strip(), role), HexFormat.of().parseHex(hex)));
            }
        }
        return new ApiTokens(out);
    }

    /** The token's principal, or empty; the same work whichever token (if any) it matches. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] given = sha256(presented);
        Principal match = null;
        for (Entry e : entries) {
            boolean equal = MessageDigest.isEqual(e.digest(), given);
            if (equal && match == null) {
                match = e.principal();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Whether some token has the admin role (a service that takes writes needs one). */
    public boolean hasAdmin() {
        return entries.stream().anyMatch(e -> e.principal().role() == Role.ADMIN);
    }

    public int size() {
        return entries.size();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Never the digests. */
    @Override
    public String toString() {
        return "ApiTokens[" + entries.stream().map(e -> e.principal().name() + ":" + e.principal().role().label()).toList() + "]";
    }
}
