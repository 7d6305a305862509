package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * No secret is committed: every file git tracks is scanned for private keys, cloud and chat tokens,
 * and passwords written as literals. The only literal passwords allowed are the documented local
 * defaults and placeholders (the local stack's {@code wattstream}, the samples' {@code change-me...}).
 */
class RepositorySecretsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> DOCUMENTED_DEFAULTS = Set.of("wattstream", "change-me");

    private static final List<Pattern> ALWAYS_SECRET = List.of(
            Pattern.compile("-----BEGIN (RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
            Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"),
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"),
            Pattern.compile("\\bsk_live_[A-Za-z0-9]{16,}"));
    /** {@code password: x}, {@code POSTGRES_PASSWORD=x}, {@code password = "x"}, {@code "password": "x"}. */
    private static final Pattern LITERAL_PASSWORD = Pattern.compile(
            "(?i)(password|passwd|pwd|secret|api[_-]?key|access[_-]?key)\"?\\s*[:=]\\s*(\"([^\"]*)\"|'([^']*)'|([^\\s\"',;)}]+))");

    @Test
    void noTrackedFileHoldsASecret() throws Exception {
        // A source archive has no repository to ask which files are tracked.
        Assumptions.assumeTrue(Files.exists(ROOT.resolve(".git")), "not a git checkout");
        List<String> files = trackedFiles();
        assertThat(files).as("files tracked by git").hasSizeGreaterThan(50);
        List<String> findings = new ArrayList<>();
        int scanned = 0;
        for (String name : files) {
            Path file = ROOT.resolve(name);
            // This file holds the patterns themselves.
            if (name.endsWith("/RepositorySecretsIT.java") || !Files.isRegularFile(file) || Files.size(file) > 2_000_000) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            if (isBinary(bytes)) {
                continue;
            }
            scanned++;
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                for (Pattern p : ALWAYS_SECRET) {
                    if (p.matcher(line).find()) {
                        findings.add(name + ":" + (i + 1) + " matches " + p.pattern());
                    }
                }
                // A test's own keys are fixtures (the patterns above still apply to them).
                Matcher m = LITERAL_PASSWORD.matcher(name.contains("/src/test/") ? "" : line);
                while (m.find()) {
                    boolean quoted = m.group(5) == null;
                    String value = m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
                    boolean code = name.endsWith(".java") || name.endsWith(".js");
                    if (!harmless(value, quoted, code)) {
                        findings.add(name + ":" + (i + 1) + " assigns a literal to " + m.group(1));
                    }
                }
            }
        }
        System.out.println("RELIABILITY [secrets] scanned " + scanned + " tracked text files, findings " + findings.size());
        assertThat(findings).as("secrets in tracked files").isEmpty();
    }

    /**
     * Documented defaults and placeholders ({@code change-me...}, {@code ...}, {@code (set)}, {@code ${env:...}},
     * {@code $VAR}, {@code <...>}), empty values, values without a letter or digit (an operator such as
     * {@code ==}), structures ({@code {type: string}}), and, in code, an unquoted value (a name or a call:
     * a literal secret in code is quoted) or quoted text that is part of a concatenation.
     */
    private static boolean harmless(String value, boolean quoted, boolean code) {
        String v = value.trim();
        return v.isEmpty() || DOCUMENTED_DEFAULTS.contains(v) || v.startsWith("change-me")
                || v.startsWith("$") || v.startsWith("<") || v.startsWith("%(") || v.startsWith("{") || v.startsWith("[")
                || v.equals("...") || v.equals("\u2026") || v.matches("\\(\\w+\\)")
                || !v.matches(".*[A-Za-z0-9].*")
                || v.matches("(?i)(null|none|hidden|\\*+|redacted)")
                || code && !quoted && v.matches("[A-Za-z_].*")
                || code && quoted && value.startsWith(" ");
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static List<String> trackedFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(ROOT.toFile()).redirectErrorStream(true).start();
        byte[] out = git.getInputStream().readAllBytes();
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IllegalStateException("git ls-files failed: " + new String(out, StandardCharsets.UTF_8));
        }
        List<String> names = new ArrayList<>();
        for (String s : new String(out, StandardCharsets.UTF_8).split("\u0000")) {
            if (!s.isBlank()) {
                names.add(s);
            }
        }
        return names;
    }
}
