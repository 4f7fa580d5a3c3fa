package dev.jux.fs.epoll;

import dev.jux.fs.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which epoll watches refer to a file (Linux's file->f_ep), so that closing a file's last
 * fd takes it out of every epoll interest list, as eventpoll_release does. The fd table
 * calls {@link #released} when it releases a description.
 */
public final class Epolls {
    private Epolls() {}

    private static final AtomicLong INODES = new AtomicLong(1);
    private static final Map<File, List<EpollFile.Watch>> WATCHES = new WeakHashMap<>();

    static long nextInode() {
        return INODES.getAndIncrement();
    }

    static void watching(File f, EpollFile.Watch w) {
        synchronized (WATCHES) {
            WATCHES.computeIfAbsent(f, k -> new ArrayList<>()).add(w);
        }
    }

    static void notWatching(File f, EpollFile.Watch w) {
        synchronized (WATCHES) {
            List<EpollFile.Watch> l = WATCHES.get(f);
            if (l != null && l.remove(w) && l.isEmpty()) WATCHES.remove(f);
        }
    }

    /** {@code f}'s last fd is closed: every epoll forgets it. */
    public static void released(File f) {
        List<EpollFile.Watch> l;
        synchronized (WATCHES) {
            l = WATCHES.remove(f);
        }
        if (l != null) for (EpollFile.Watch w : l) w.owner().released(w);
    }
}
