package io.wattstream.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** What Linux says about processes, from {@code /proc}: memory, CPU time, command lines. */
final class Procs {

    static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on every mainstream Linux build

    /** Resident set size in KiB ({@code VmRSS}), or 0 when the process is gone. */
    static long rssKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    /**
     * Proportional set size in KiB (shared pages divided among the processes that map them), or 0
     * when the process is gone. PostgreSQL's backends share its buffers: PSS counts them once overall.
     */
    static long pssKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between listing and reading
        }
        return 0;
    }

    /** The command line with NULs as spaces, empty for a kernel thread or a process that is gone. */
    static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** utime + stime in clock ticks, or -1 when the process is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The short name (comm) of a process. */
    static String name(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** CPU ticks of every process now, by pid. */
    static Map<Long, Long> cpuSnapshot() {
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : pids()) {
            long t = cpuTicks(pid);
            if (t >= 0) {
                ticks.put(pid, t);
            }
        }
        return ticks;
    }

    static List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
            dirs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> pids.add(Long.parseLong(n)));
        } catch (IOException e) {
            // not Linux: no figures
        }
        return pids;
    }

    /** The PostgreSQL server (postmaster) listening on this port, found by its command line. */
    static Optional<ProcessHandle> postmaster(int port) {
        String portArg = "-p " + port;
        return pids().stream()
                .filter(pid -> {
                    String cmd = cmdline(pid);
                    return cmd.contains("postgres") && cmd.contains(" -D ") && (cmd.contains(portArg + " ") || cmd.endsWith(portArg));
                })
                .findFirst()
                .flatMap(ProcessHandle::of);
    }

    /** The process and all its descendants that are still alive. */
    static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        if (root.isAlive()) {
            all.add(root);
        }
        root.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
        return all;
    }

    private Procs() {
    }
}
