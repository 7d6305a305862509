package io.wattstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartGeneratesATokenOnlyItsOwnerCanReadAndLaterStartsKeepIt() throws Exception {
        String first = AdminTokenFile.readOrCreate(dir);
        Path file = dir.resolve(AdminTokenFile.NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(43); // 256 bits in base64url
        assertThat(AdminTokenFile.readOrCreate(dir)).isEqualTo(first);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFileOthersCouldReadIsMadeOwnerOnlyAgain() throws Exception {
        Path file = dir.resolve(AdminTokenFile.NAME);
        Files.writeString(file, "kept-token-0123456789abcdef0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(AdminTokenFile.readOrCreate(dir)).isEqualTo("kept-token-0123456789abcdef0123456789");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
