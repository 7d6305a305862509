package io.wattstream.reliability;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that holds a {@link Cluster} armed for cleanup and nothing else, so that a test can end it as
 * an interrupted build ends. Arguments: repository root, CLUSTER_DIR, CLUSTER_NAME. Prints
 * {@code CLEANUP ARMED} once the hook is in place.
 */
public final class ClusterCleanupChild {

    public static void main(String[] args) throws InterruptedException {
        new Cluster(Path.of(args[0]), Path.of(args[1]), args[2], "198.18.9", "").armCleanup();
        System.out.println("CLEANUP ARMED");
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private ClusterCleanupChild() {
    }
}
