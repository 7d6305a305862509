package io.wattstream.bench.suite;

import io.wattstream.embedded.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack as a user runs it, {@code java -jar wattstream-local.jar --ephemeral}, in its own
 * process on free ports: time to ready, memory, and an ordered stop (SIGTERM) that leaves no process
 * behind, PostgreSQL's included.
 */
final class LocalStackProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Wattstream is ready in ([\\d.]+) s");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** Memory of the stack's processes, KiB. */
    record Memory(long jvmRssKib, long postgresPssKib, int postgresProcesses) {
        double totalMib() {
            return (jvmRssKib + postgresPssKib) / 1024.0;
        }

        String describe() {
            return String.format(Locale.ROOT, "JVM RSS %.0f MiB + PostgreSQL PSS %.0f MiB (%d processes)",
                    jvmRssKib / 1024.0, postgresPssKib / 1024.0, postgresProcesses);
        }
    }

    final int gatewayPort = Ports.free();
    final int queryPort = Ports.free();
    final int connectPort = Ports.free();
    final int statePort = Ports.free();
    final int kafkaPort = Ports.free();
    final int postgresPort = Ports.free();

    private final Process process;
    private final long startNanos;
    private final CompletableFuture<Double> ready = new CompletableFuture<>();
    private final Thread pump;
    private volatile ProcessHandle postmaster;
    private double readySeconds;
    private double reportedReadySeconds;
    private volatile double readyCpuSeconds;
    private final Thread stopOnExit = new Thread(this::close, "stop-local-stack");
    private boolean closed;

    private LocalStackProcess(Path jar, List<String> jvmOptions, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "--ephemeral",
                "--gateway-port", Integer.toString(gatewayPort),
                "--query-port", Integer.toString(queryPort),
                "--origin-port", "0",
                "--connect-port", Integer.toString(connectPort),
                "--state-port", Integer.toString(statePort),
                "--notifier-port", "0",
                "--kafka-port", Integer.toString(kafkaPort),
                "--postgres-port", Integer.toString(postgresPort)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("POSTGRES_") || k.endsWith("_PORT") || k.equals("KAFKA_TOPIC"));
        startNanos = System.nanoTime();
        process = pb.start();
        Runtime.getRuntime().addShutdownHook(stopOnExit); // the suite killed or interrupted: stop the stack too
        pump = Thread.ofPlatform().name("local-stack-output").daemon().start(() -> pump(log));
    }

    /**
     * The stack JVM's options every part that starts a stack uses: {@code -Dbench.stack-jvm} (e.g.
     * {@code "-XX:SharedArchiveFile=data/cds/a.jsa -XX:+AutoCreateSharedArchive"}, as {@code ./wattstream}
     * adds) and, with {@code -Dbench.jfr=true}, a JFR profile written to {@code jfr}.
     */
    static List<String> jvmOptions(Path jfr) {
        List<String> jvm = new ArrayList<>();
        for (String option : System.getProperty("bench.stack-jvm", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                jvm.add(option);
            }
        }
        if (Boolean.getBoolean("bench.jfr")) {
            // Profile of start-up and load; open with `jfr print --events jdk.ExecutionSample` or JDK Mission Control.
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        return jvm;
    }

    /** Starts the stack and waits for its ready banner. */
    static LocalStackProcess start(Path jar, List<String> jvmOptions, Path log) throws Exception {
        LocalStackProcess stack = new LocalStackProcess(jar, jvmOptions, log);
        try {
            stack.readySeconds = stack.awaitReady();
            stack.postmaster = Procs.postmaster(stack.postgresPort)
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server on port " + stack.postgresPort));
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    private void pump(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                out.printf(Locale.ROOT, "[%7.3f] %s%n", seconds, line);
                Matcher m = READY.matcher(line);
                if (m.find() && !ready.isDone()) {
                    reportedReadySeconds = Double.parseDouble(m.group(1));
                    readyCpuSeconds = (double) Procs.cpuTicks(process.pid()) / Procs.CLOCK_TICKS_PER_SECOND;
                    ready.complete(seconds);
                }
            }
        } catch (IOException e) {
            // process gone
        } finally {
            ready.completeExceptionally(new IllegalStateException("the local stack exited before it was ready"));
        }
    }

    private double awaitReady() throws Exception {
        return ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Seconds from starting the process to the ready banner (JVM start-up included). */
    double readySeconds() {
        return readySeconds;
    }

    /** What the stack itself printed (from its first line of code to ready). */
    double reportedReadySeconds() {
        return reportedReadySeconds;
    }

    /**
     * CPU time the JVM used until ready (user + system): what start-up costs whatever else runs on
     * the machine; on an idle machine the wall time is roughly this divided by the usable cores.
     */
    double readyCpuSeconds() {
        return readyCpuSeconds;
    }

    long pid() {
        return process.pid();
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    String queryUrl() {
        return "http://127.0.0.1:" + queryPort;
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/wattstream";
    }

    Memory memory() {
        long jvm = Procs.rssKib(process.pid());
        List<ProcessHandle> pg = Procs.tree(postmaster);
        long pss = pg.stream().mapToLong(p -> Procs.pssKib(p.pid())).sum();
        return new Memory(jvm, pss, pg.size());
    }

    /**
     * SIGTERM, as Ctrl-C would: the stack stops every part in order. Waits for the JVM and for every
     * PostgreSQL process; anything still alive after the timeout is killed and reported.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs this
            }
        }
        Set<ProcessHandle> pg = new HashSet<>();
        ProcessHandle pm = postmaster != null ? postmaster : Procs.postmaster(postgresPort).orElse(null);
        if (pm != null) {
            pg.addAll(Procs.tree(pm));
        }
        long t0 = System.nanoTime();
        process.destroy();
        boolean clean;
        try {
            clean = process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!clean) {
                System.err.println("local stack did not stop within " + STOP_TIMEOUT + " of SIGTERM: killing it");
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pg.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            for (ProcessHandle p : pg) {
                if (p.isAlive()) {
                    System.err.println("PostgreSQL process " + p.pid() + " outlived the stack: stopping it");
                    p.destroy();
                }
            }
            pump.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            pg.forEach(ProcessHandle::destroyForcibly);
            return;
        }
        long left = pg.stream().filter(ProcessHandle::isAlive).count() + (process.isAlive() ? 1 : 0);
        System.out.printf(Locale.ROOT, "local stack stopped by SIGTERM in %.1f s (exit %s); processes left: %d%n",
                (System.nanoTime() - t0) / 1e9, process.isAlive() ? "-" : Integer.toString(process.exitValue()), left);
        if (left > 0) {
            throw new IllegalStateException(left + " local-stack processes still running after stop");
        }
    }
}
