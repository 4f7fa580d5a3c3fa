package dev.jux.fs;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * How many fds, in all fd tables, refer to each open file description (Linux's struct file
 * f_count as far as fds hold it). dup and fork add one; the close that drops the count to zero
 * releases the description. {@link File} is an interface, so the count lives here, keyed by
 * identity, rather than in the description itself.
 */
final class OpenFileCounts {
    private OpenFileCounts() {}

    private static final Map<File, int[]> COUNTS = new IdentityHashMap<>();

    static void retain(File f) {
        synchronized (COUNTS) {
            COUNTS.computeIfAbsent(f, k -> new int[1])[0]++;
        }
    }

    /** Drops one fd's reference; true if it was the last one. */
    static boolean release(File f) {
        synchronized (COUNTS) {
            int[] n = COUNTS.get(f);
            if (n == null || --n[0] <= 0) {
                COUNTS.remove(f);
                return true;
            }
            return false;
        }
    }
}
