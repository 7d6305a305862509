package io.wattstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.wattstream.embedded.harness.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build interrupted while the cluster runs must not leave its instances behind (reparented to init):
 * the JVM's shutdown hook runs {@code cluster.sh down} with the cluster's own CLUSTER_NAME and
 * CLUSTER_DIR, which stops every instance its pid files name.
 */
@EnabledOnOs(OS.LINUX)
class ClusterCleanupTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path tmp;

    @Test
    void endingTheJvmStopsTheInstancesOfItsCluster() throws Exception {
        Path dir = tmp.resolve("cluster");
        Files.createDirectories(dir.resolve("pids"));
        Files.writeString(dir.resolve("network"), "loopback\n");
        // An instance as cluster.sh starts one: its pid in the pid file, the instance's tag in its environment.
        ProcessBuilder instance = new ProcessBuilder("sleep", "600");
        instance.environment().put("WATTSTREAM_CLUSTER_INSTANCE", "wscln/gateway-1");
        Process gateway = instance.start();
        // A process of another cluster's name with a pid file in this directory must be left alone.
        ProcessBuilder foreign = new ProcessBuilder("sleep", "600");
        foreign.environment().put("WATTSTREAM_CLUSTER_INSTANCE", "other/gateway-2");
        Process other = foreign.start();
        try {
            Files.writeString(dir.resolve("pids/gateway-1.pid"), gateway.pid() + "\n");
            Files.writeString(dir.resolve("pids/gateway-2.pid"), other.pid() + "\n");

            Process child = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), ClusterCleanupChild.class.getName(), ROOT.toString(), dir.toString(),
                    "wscln")).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("CLEANUP ARMED")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the child armed its cleanup: " + seen).isEqualTo("CLEANUP ARMED");

            child.destroy(); // SIGTERM, as an interrupted build's fork gets it
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            Poll.until("gateway-1 stopped by the child's cleanup", Duration.ofSeconds(30), () -> !gateway.isAlive());
            assertThat(other.isAlive()).as("a process without this cluster's tag is not touched").isTrue();
            assertThat(dir.resolve("pids")).as("down removed the pid files").doesNotExist();
        } finally {
            gateway.destroyForcibly();
            other.destroyForcibly();
        }
    }
}
