package io.wattstream.streams.processors;

import java.time.Instant;
import java.util.Arrays;

/**
 * The identities given out in one bucket of device time of one meter (value of
 * {@link io.wattstream.streams.topology.StoreNames#IDENTITIES}): each taken slot (a device time, to the
 * nanosecond) with the fingerprint of the reading that holds it. A bucket is written once per commit
 * however many readings of the meter fall in it, instead of one changelog record per reading.
 */
public record Identities(long[] slotNanos, long[] fingerprints) {

    /** Ten seconds of device time: a handful of readings per bucket for a meter reporting every second or two. */
    public static final long BUCKET_MS = 10_000;
    public static final Identities EMPTY = new Identities(new long[0], new long[0]);

    public static long bucketOf(Instant slot) {
        long ms = slot.toEpochMilli();
        return ms - Math.floorMod(ms, BUCKET_MS);
    }

    public static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    /** The fingerprint of the reading holding {@code slot}, or null when it is free. */
    public Long holder(Instant slot) {
        long s = nanos(slot);
        for (int i = 0; i < slotNanos.length; i++) {
            if (slotNanos[i] == s) {
                return fingerprints[i];
            }
        }
        return null;
    }

    public Identities with(Instant slot, long fingerprint) {
        long[] s = Arrays.copyOf(slotNanos, slotNanos.length + 1);
        long[] f = Arrays.copyOf(fingerprints, fingerprints.length + 1);
        s[s.length - 1] = nanos(slot);
        f[f.length - 1] = fingerprint;
        return new Identities(s, f);
    }
}
