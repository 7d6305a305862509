package io.wattstream.reliability;

import io.wattstream.kit.access.ApiTokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The production shape run by {@code deploy/cluster/cluster.sh}, driven from a test: every instance a
 * process of its own, in a network namespace of its own where the machine allows it. Its state lives
 * in the module's target directory, under names of its own (namespaces, bridge, subnet), so that it
 * never meets a cluster a developer runs by hand.
 */
final class Cluster implements AutoCloseable {

    static final String PASSWORD = "cluster-it";
    /** The query APIs' admin token (reads are closed, as in compose): a fresh one per run. */
    static final String ADMIN_TOKEN = ApiTokens.generate();

    private final Path root;
    private final Path dir;
    private final Map<String, String> env;
    private final Map<String, String> urls = new java.util.concurrent.ConcurrentHashMap<>();
    /** The cluster.sh command running now, if any: the shutdown hook ends it before it runs {@code down}. */
    private volatile Process current;
    /** Runs {@code down} when the JVM ends before {@link #close()} did (an interrupted build). */
    private final Thread cleanup = new Thread(this::downOnExit, "cluster-cleanup");

    /** @param javaOpts JVM options of every instance (CLUSTER_JAVA_OPTS) */
    Cluster(Path root, Path dir, String name, String subnet, String javaOpts) {
        this.root = root;
        this.dir = dir;
        this.env = Map.of("CLUSTER_DIR", dir.toString(), "CLUSTER_NAME", name, "CLUSTER_SUBNET", subnet,
                "POSTGRES_PASSWORD", PASSWORD, "AUTH_ADMIN_TOKEN", ADMIN_TOKEN, "JAVA_HOME", System.getProperty("java.home"), "CLUSTER_JAVA_OPTS", javaOpts);
    }

    /** Starts every instance (from nothing: data of an earlier run is removed first) and waits until healthy. */
    Cluster up() {
        armCleanup();
        run(Duration.ofMinutes(2), "down", "--purge");
        run(Duration.ofMinutes(5), "up");
        return this;
    }

    void kill(String name) {
        run(Duration.ofSeconds(30), "kill", name);
    }

    void start(String name) {
        run(Duration.ofMinutes(3), "start", name);
    }

    void restart(String name) {
        run(Duration.ofMinutes(4), "restart", name);
    }

    void partition(String name) {
        run(Duration.ofSeconds(30), "partition", name);
    }

    void heal(String name) {
        run(Duration.ofSeconds(30), "heal", name);
    }

    String status() {
        return run(Duration.ofMinutes(1), "status");
    }

    /** The instance's URL as {@code status} prints it: http://ADDRESS:PORT, ADDRESS:PORT for a broker. */
    String url(String name) {
        return urls.computeIfAbsent(name, n -> run(Duration.ofSeconds(30), "url", n).strip());
    }

    List<String> names(String role) {
        List<String> out = new ArrayList<>();
        for (String n : run(Duration.ofSeconds(30), "names").split("\n")) {
            if (n.startsWith(role + "-")) {
                out.add(n.strip());
            }
        }
        return out;
    }

    String bootstrap() {
        return String.join(",", names("broker").stream().map(this::url).toList());
    }

    String jdbcUrl() {
        return "jdbc:" + url("postgres") + "/wattstream";
    }

    /**
     * CPU time each running instance has used so far, in milliseconds (user + system, from
     * /proc/PID/stat; the pid from the instance's pid file), by instance name. PostgreSQL's work is done
     * by the postmaster's children (a backend per connection, the writers): its figure is
     * {@link #postgresCpuMillis()}.
     */
    Map<String, Long> cpuMillis() {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (var files = Files.list(dir.resolve("pids"))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString().replace(".pid", "");
                long[] times = cpuTicks(Files.readString(f).strip());
                if (times != null) {
                    out.put(name, (times[0] + times[1]) * 1000 / USER_HZ);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading the instances' CPU time", e);
        }
        out.put("postgres", postgresCpuMillis());
        return out;
    }

    /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux architecture that matters here. */
    private static final long USER_HZ = 100;

    /**
     * CPU time PostgreSQL has used so far, in milliseconds: the postmaster (its pid from the first line
     * of the data directory's postmaster.pid), every living child (backends, checkpointer, writers) and
     * the children that ended already (the postmaster's cutime and cstime hold what it reaped).
     */
    long postgresCpuMillis() {
        try {
            String postmaster = Files.readAllLines(dir.resolve("data/postgres/pgdata/postmaster.pid")).getFirst().strip();
            long[] own = cpuTicks(postmaster);
            if (own == null) {
                throw new IllegalStateException("the postmaster " + postmaster + " is not running");
            }
            long ticks = own[0] + own[1] + own[2] + own[3];
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
                    String pid = p.getFileName().toString();
                    long[] child = cpuTicks(pid);
                    if (child != null && child[4] == Long.parseLong(postmaster)) {
                        ticks += child[0] + child[1];
                    }
                }
            }
            return ticks * 1000 / USER_HZ;
        } catch (IOException e) {
            throw new IllegalStateException("reading PostgreSQL's CPU time", e);
        }
    }

    /** utime, stime, cutime, cstime and the parent's pid of a process, from /proc/PID/stat; null when it is gone. */
    private static long[] cpuTicks(String pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", pid, "stat"));
        } catch (IOException e) {
            return null; // ended meanwhile, or never ran
        }
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14]), Long.parseLong(fields[1])};
    }

    /** Bytes of the log segments (.log files) of a topic's partitions on one broker. */
    long topicBytes(String broker, String topic) {
        try (var files = Files.walk(dir.resolve("data").resolve(broker).resolve("kafka"))) {
            return files.filter(f -> f.getParent().getFileName().toString().startsWith(topic + "-")
                            && f.getParent().getFileName().toString().substring(topic.length() + 1).matches("\\d+")
                            && f.toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new IllegalStateException("sizing " + topic + " on " + broker, e);
        }
    }

    /** Runs one cluster.sh command, its output going to the cluster's command log; fails on a non-zero exit. */
    String run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("deploy/cluster/cluster.sh").toString()));
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(dir.getParent());
            Path out = Files.createTempFile(dir.getParent(), "cluster-cmd", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            current = p;
            boolean done = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
            current = null;
            String text = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " still running after " + timeout
                        + ":\n" + text);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " exited " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cluster.sh " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * From now on a JVM that ends (Ctrl-C, SIGTERM, a build that is stopped) before {@link #close()} runs
     * {@code cluster.sh down} with this cluster's own CLUSTER_NAME and CLUSTER_DIR, so that no instance and
     * no namespace outlives it. Only SIGKILL of the JVM leaves them; {@code cluster.sh down} with those
     * variables removes them then.
     */
    void armCleanup() {
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * The shutdown hook: ends the cluster.sh command under way (an {@code up} would go on starting
     * instances), then runs {@code down} in a session of its own, so that it completes even when the
     * JVM is killed while waiting for it.
     */
    private void downOnExit() {
        Process running = current;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
        try {
            Files.createDirectories(dir.getParent());
            ProcessBuilder pb = new ProcessBuilder("setsid", "bash", root.resolve("deploy/cluster/cluster.sh").toString(), "down")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.getParent().resolve("cluster-cleanup.log").toFile()));
            pb.environment().putAll(env);
            pb.start().waitFor(3, TimeUnit.MINUTES);
        } catch (IOException e) {
            System.err.println("cluster cleanup: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every instance and removes the namespaces; the data stays for a look after a failure. */
    @Override
    public void close() {
        try {
            run(Duration.ofMinutes(3), "down");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is ending already: the hook runs down too, which finds nothing left to stop
            }
        }
    }
}
