package io.wattstream.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of this test classpath run in its own JVM, its output appended to a log file. Lets a
 * test kill a part abruptly ({@link #kill()}: SIGKILL, no shutdown hook, no clean commit) or stop it
 * as an operator would ({@link #terminate(Duration)}: SIGTERM, shutdown hooks run).
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(Class<?> main, Path log, List<String> jvmArgs, List<String> args) {
        return start(main, log, jvmArgs, args, java.util.Map.of());
    }

    static ChildJvm start(Class<?> main, Path log, List<String> jvmArgs, List<String> args,
                          java.util.Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx512m");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            Process p = pb
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the child printed {@code marker}; fails early when the child died. */
    ChildJvm awaitOutput(String marker, Duration timeout) {
        try {
            Poll.until("'" + marker + "' from child " + process.pid(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("child " + process.pid() + " exited with " + process.exitValue()
                            + " before '" + marker + "'");
                }
                return output().contains(marker);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last output:\n" + tail(40), e);
        }
        return this;
    }

    String tail(int lines) {
        String[] all = output().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM gets no chance to commit, flush or leave its group. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then waits for the shutdown hooks to finish; returns the exit code. */
    int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("child " + process.pid() + " did not exit within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }
}
