package io.wattstream.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The addresses a TCP port listens on, read from the kernel's socket tables ({@code /proc/net/tcp}
 * and {@code tcp6}), so a test sees what was really bound rather than what was configured.
 */
final class Listeners {

    private static final String LISTEN = "0A";
    private static final String V4_LOOPBACK = "0100007F";
    private static final String V6_LOOPBACK = "00000000000000000000000001000000";
    private static final String V4_MAPPED_LOOPBACK = "0000000000000000FFFF00000100007F";

    private Listeners() {
    }

    /** Hex local addresses (kernel byte order) of every listening socket on {@code port}. */
    static List<String> addresses(int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> out = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].contains(":") && f[3].equals(LISTEN)) {
                        String[] local = f[1].split(":");
                        if (local[1].equalsIgnoreCase(hexPort)) {
                            out.add(local[0].toUpperCase(Locale.ROOT));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static boolean isLoopback(String hexAddress) {
        return hexAddress.equals(V4_LOOPBACK) || hexAddress.equals(V6_LOOPBACK) || hexAddress.equals(V4_MAPPED_LOOPBACK);
    }

    static boolean isWildcard(String hexAddress) {
        return hexAddress.chars().allMatch(c -> c == '0');
    }
}
