package io.wattstream.embedded.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used so far by this JVM plus the PostgreSQL server of a data directory (postmaster, its
 * live backends, and the backends it has already reaped). On a machine shared with other work,
 * wall-clock rates say as much about the neighbours as about the code; CPU time per row does not.
 * The benchmarks use it; Linux only (reads {@code /proc}).
 */
public final class CpuClock {

    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ, 100 on Linux

    private final Path pgDataDir;

    public CpuClock(Path pgDataDir) {
        this.pgDataDir = pgDataDir;
    }

    /** JVM + PostgreSQL CPU nanoseconds. */
    public long nanos() {
        return jvmNanos() + postgresNanos();
    }

    public long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public long postgresNanos() {
        try {
            List<String> pidFile = Files.readAllLines(pgDataDir.resolve("postmaster.pid"));
            long postmaster = Long.parseLong(pidFile.get(0).trim());
            long ticks = ticks(postmaster, true);
            for (ProcessHandle child : ProcessHandle.of(postmaster).map(p -> p.descendants().toList()).orElse(List.of())) {
                ticks += ticks(child.pid(), true);
            }
            return (long) (ticks * TICK_NANOS);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime (+ cutime + cstime: children already waited for) from /proc/[pid]/stat. */
    private static long ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields after "(comm)": f[0] is field 3 (state); utime is field 14 -> f[11].
            long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return 0; // exited meanwhile
        }
    }
}
