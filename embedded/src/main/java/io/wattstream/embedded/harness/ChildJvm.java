package io.wattstream.embedded.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A main class of this JVM's classpath run in a JVM of its own, its output appended line by line to a
 * log file (and, if asked, handed to a listener). A test kills a part abruptly with {@link #kill()}
 * (SIGKILL: no shutdown hook, no clean commit) or stops it as an operator would with
 * {@link #terminate(Duration)} (SIGTERM: shutdown hooks run); a benchmark runs one part per child so
 * each starts from a clean heap and its embedded brokers and databases cannot outlive it.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final Thread pump;

    private ChildJvm(Process process, Path log, Consumer<String> listener) throws IOException {
        this.process = process;
        this.log = log;
        // Opened here, so the file exists (and is appended to) before start() returns.
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        this.pump = Thread.ofPlatform().name("child-" + process.pid() + "-output").daemon().start(() -> {
            try (file; BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    file.println(line);
                    listener.accept(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
    }

    /** Settings for a child JVM running {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    public static Builder builder(Class<?> mainClass) {
        return builder(mainClass.getName());
    }

    /** Waits until the child printed {@code marker}; fails early, with its last output, when the child died. */
    public ChildJvm awaitOutput(String marker, Duration timeout) {
        try {
            Poll.until("'" + marker + "' from child " + process.pid(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("child " + process.pid() + " exited with " + process.exitValue()
                            + " before '" + marker + "'");
                }
                return output().contains(marker);
            });
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; last output:\n" + tail(40), e);
        }
        return this;
    }

    private String tail(int lines) {
        String[] all = output().split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** The whole log so far (every run appended to the same file included). */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM gets no chance to commit, flush or leave its group. */
    public void kill() {
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /**
     * SIGTERM, then waits for the shutdown hooks to finish; returns the exit code. A child still alive
     * after {@code timeout} is killed with its descendants, and that is an error.
     */
    public int terminate(Duration timeout) {
        if (!stop(timeout)) {
            throw new IllegalStateException("child " + process.pid() + " did not exit within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * SIGTERM, so the child's shutdown hooks stop what it started (an embedded PostgreSQL runs in
     * processes of its own); after {@code grace}, SIGKILL to it and its descendants. Whether it exited
     * within the grace period.
     */
    public boolean stop(Duration grace) {
        // Through the handle: Process.destroy() would also close our end of the child's output, and
        // everything it prints while shutting down would be lost.
        process.toHandle().destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                awaitOutputDrained();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return false;
    }

    /** Waits up to {@code timeout} for the child to finish by itself; its exit code, or empty if it still runs. */
    public OptionalInt awaitFinish(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
        awaitOutputDrained();
        return OptionalInt.of(process.exitValue());
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("child " + process.pid() + " did not exit within " + timeout + " of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitOutputDrained();
    }

    /** After the exit, the rest of its output reaches the log before anyone reads it. */
    private void awaitOutputDrained() {
        try {
            pump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    /** Settings for a {@link ChildJvm}. */
    public static final class Builder {
        private final String mainClass;
        private String maxHeap = "512m";
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private Path log;
        private Consumer<String> listener = line -> { };

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** {@code -Xmx} of the child (default {@code 512m}). */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        /** More JVM options, e.g. {@code -Dname=value}. */
        public Builder jvmArgs(List<String> jvmArgs) {
            this.jvmArgs.addAll(jvmArgs);
            return this;
        }

        /** Arguments of the main method. */
        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** Variables added to this JVM's environment for the child. */
        public Builder env(Map<String, String> env) {
            this.env.putAll(env);
            return this;
        }

        /** The file the child's output (stdout and stderr) is appended to; required. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** Called with every line of output, on the thread that copies it to the log. */
        public Builder onOutputLine(Consumer<String> listener) {
            this.listener = listener;
            return this;
        }

        private List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.add("-Xmx" + maxHeap);
            cmd.add("--enable-native-access=ALL-UNNAMED");
            cmd.add("-Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager");
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(mainClass);
            cmd.addAll(args);
            return cmd;
        }

        public ChildJvm start() {
            if (log == null) {
                throw new IllegalArgumentException("a log file is required");
            }
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true);
                pb.environment().putAll(env);
                return new ChildJvm(pb.start(), log, listener);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + mainClass, e);
            }
        }
    }
}
