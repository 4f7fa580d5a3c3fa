package dev.jux.fs.notify;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.HashMap;
import java.util.Map;

/**
 * What each user holds of inotify, counted against the limits /proc/sys/fs/inotify shows
 * (Linux's ucounts UCOUNT_INOTIFY_INSTANCES and UCOUNT_INOTIFY_WATCHES, by effective uid).
 * One per kernel.
 */
public final class InotifyUsers {
    /** Linux's default max_user_instances. */
    public static final int MAX_USER_INSTANCES = 128;
    /**
     * Linux sizes max_user_watches by RAM (1% of it, 8,192 to 1,048,576); Jux fixes it, which
     * bounds what one guest user can make the kernel keep (a watch is ~100 bytes of heap).
     */
    public static final int MAX_USER_WATCHES = 65536;
    /** Linux's default max_queued_events: the events one instance holds before IN_Q_OVERFLOW. */
    public static final int MAX_QUEUED_EVENTS = 16384;

    private static final int INSTANCES = 0, WATCHES = 1;

    /** Per uid: {instances, watches}. */
    private final Map<Integer, int[]> byUid = new HashMap<>();

    /** inotify_init: EMFILE once the user has max_user_instances. */
    void takeInstance(int uid) {
        take(uid, INSTANCES, MAX_USER_INSTANCES, Errno.EMFILE);
    }

    void returnInstance(int uid) {
        give(uid, INSTANCES);
    }

    /** inotify_add_watch of a new watch: ENOSPC once the user has max_user_watches. */
    void takeWatch(int uid) {
        take(uid, WATCHES, MAX_USER_WATCHES, Errno.ENOSPC);
    }

    void returnWatch(int uid) {
        give(uid, WATCHES);
    }

    private synchronized void take(int uid, int which, int limit, Errno full) {
        int[] c = byUid.computeIfAbsent(uid, k -> new int[2]);
        if (c[which] >= limit) throw new LinuxException(full);
        c[which]++;
    }

    private synchronized void give(int uid, int which) {
        int[] c = byUid.get(uid);
        if (c == null) return;
        c[which]--;
        if (c[INSTANCES] <= 0 && c[WATCHES] <= 0) byUid.remove(uid);
    }
}
