package io.wattstream.local;

import io.wattstream.schema.ReadOnlyRole;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * The local stack's login for the read-only role: a password generated on the first start and kept
 * in the data directory, readable by its owner only, so BI tools and Grafana can connect.
 */
final class ReadOnlyLogin {

    static final String FILE = "postgres-readonly.password";

    /** Creates the password file when missing, gives the role its login; returns the file. */
    static Path ensure(Path dataDir, DataSource owner) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[18];
                new SecureRandom().nextBytes(random);
                Path tmp = Files.createTempFile(dataDir, FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            ReadOnlyRole.enableLogin(owner, Files.readString(file, StandardCharsets.UTF_8).strip());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the read-only password in " + file, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give role " + ReadOnlyRole.NAME + " its login", e);
        }
    }

    private ReadOnlyLogin() {
    }
}
