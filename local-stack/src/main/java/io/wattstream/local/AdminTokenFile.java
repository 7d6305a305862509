package io.wattstream.local;

import io.wattstream.kit.access.ApiTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The local stack's admin token: generated on the first start and kept in the data directory, readable
 * by its owner only (mode 600), so that every later start accepts the same token.
 */
final class AdminTokenFile {

    static final String NAME = "admin-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /** The token in {@code dir}/{@value #NAME}; created with a new random token when missing. */
    static String readOrCreate(Path dir) {
        Path file = dir.resolve(NAME);
        try {
            if (!Files.exists(file)) {
                String token = ApiTokens.generate();
                Path tmp = posix() ? Files.createTempFile(dir, NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                        : Files.createTempFile(dir, NAME, ".tmp");
                Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
                Files.move(tmp, file);
                return token;
            }
            if (posix()) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new admin token generated");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin token in " + file, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private AdminTokenFile() {
    }
}
