package dev.jux.fs.lock;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.File;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisory file locks, per file (Linux's file_lock_context): flock(2) locks, owned by an open
 * file description, and byte-range record locks, owned either by a process's descriptor table
 * (POSIX F_SETLK; Linux's fl_owner is current->files) or by an open file description (F_OFD_*).
 * flock locks and record locks never conflict with each other; POSIX and OFD record locks do.
 * Blocking requests wait on the file's queue, interruptibly.
 */
public final class FileLocks {
    private FileLocks() {}

    public static final int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    /** Linux's OFFSET_MAX: a range "to the end of the file and beyond". */
    public static final long OFFSET_MAX = Long.MAX_VALUE;

    /** One held lock. {@code end} is inclusive; {@code pid} is -1 for OFD locks. */
    public record Lock(Object owner, boolean exclusive, long start, long end, int pid) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }
    }

    /** The locks on one file. */
    private static final class Context {
        final List<Lock> flocks = new ArrayList<>();
        final List<Lock> ranges = new ArrayList<>();
        final WaitQueue queue = new WaitQueue();
        /** False once dropped from the map (no locks left): a request that finds it so starts again. */
        boolean live = true;
    }

    /** Which file a lock is on: the file system (or, outside the VFS, the device) and the inode number. */
    private record Key(Object fs, long ino) {}

    private static final Map<Key, Context> contexts = new ConcurrentHashMap<>();

    private static Key key(File f) {
        if (f instanceof VfsFile v) return new Key(v.inode().fileSystem(), v.inode().ino());
        Stat s = f.stat();
        return new Key(s.dev(), s.ino());
    }

    private static Context existing(File f) {
        return contexts.isEmpty() ? null : contexts.get(key(f));
    }

    private static Context context(File f) {
        return contexts.computeIfAbsent(key(f), k -> new Context());
    }

    // ---- flock(2) ----

    /**
     * flock(2): {@code exclusive} true for LOCK_EX, false for LOCK_SH. The file's existing lock is
     * dropped first, as Linux's flock_lock_inode does (a conversion is not atomic). EAGAIN
     * (EWOULDBLOCK) on a conflict when {@code nonblocking}; ERESTARTSYS (EINTR, or a restart under SA_RESTART) if a signal interrupts the wait.
     */
    public static void flock(Waiter waiter, File file, boolean exclusive, boolean nonblocking) {
        funlockUnless(file, exclusive);
        while (true) {
            Context c = context(file);
            synchronized (c) {
                if (!c.live) continue;
                for (Lock l : c.flocks) {
                    if (l.owner() == file && l.exclusive() == exclusive) return;
                }
                if (flockConflict(c, file, exclusive) == null) {
                    c.flocks.add(new Lock(file, exclusive, 0, OFFSET_MAX, -1));
                    return;
                }
                if (nonblocking) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup w = c.queue.await(waiter, () -> {
                synchronized (c) {
                    return flockConflict(c, file, exclusive) == null;
                }
            }, Waiter.FOREVER);
            if (w == Wakeup.INTERRUPTED) throw new LinuxException(Errno.ERESTARTSYS);
        }
    }

    /** flock(LOCK_UN). */
    public static void funlock(File file) {
        Context c = existing(file);
        if (c == null) return;
        synchronized (c) {
            if (c.flocks.removeIf(l -> l.owner() == file)) changed(file, c);
        }
    }

    /** A conversion first drops the description's lock of the other kind, as Linux does. */
    private static void funlockUnless(File file, boolean exclusive) {
        Context c = existing(file);
        if (c == null) return;
        synchronized (c) {
            if (c.flocks.removeIf(l -> l.owner() == file && l.exclusive() != exclusive)) changed(file, c);
        }
    }

    /** After locks went: wakes the waiters, and forgets a context with no locks left. Holding c. */
    private static void changed(File file, Context c) {
        c.queue.wakeAll();
        if (c.flocks.isEmpty() && c.ranges.isEmpty() && c.live) {
            c.live = false;
            contexts.remove(key(file), c);
        }
    }

    private static Lock flockConflict(Context c, File file, boolean exclusive) {
        for (Lock l : c.flocks) {
            if (l.owner() != file && (exclusive || l.exclusive())) return l;
        }
        return null;
    }

    // ---- record locks ----

    /** F_GETLK / F_OFD_GETLK: the first lock that would block {@code [start, end]}, or null. */
    public static Lock test(File file, Object owner, boolean exclusive, long start, long end) {
        Context c = existing(file);
        if (c == null) return null;
        synchronized (c) {
            return rangeConflict(c, owner, exclusive, start, end);
        }
    }

    /**
     * F_SETLK(W) / F_OFD_SETLK(W): sets {@code type} (F_RDLCK, F_WRLCK or F_UNLCK) on
     * {@code [start, end]} for {@code owner}, splitting and merging the owner's own ranges as
     * Linux's posix_lock_inode does. EAGAIN on a conflict unless {@code wait}; ERESTARTSYS if a signal
     * interrupts the wait.
     */
    public static void set(Waiter waiter, File file, Object owner, int pid, int type, long start, long end, boolean wait) {
        boolean exclusive = type == F_WRLCK;
        while (true) {
            Context c = type == F_UNLCK ? existing(file) : context(file);
            if (c == null) return;
            synchronized (c) {
                if (!c.live) continue;
                if (type == F_UNLCK || rangeConflict(c, owner, exclusive, start, end) == null) {
                    apply(c, owner, pid, type, start, end);
                    changed(file, c);
                    return;
                }
                if (!wait) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup w = c.queue.await(waiter, () -> {
                synchronized (c) {
                    return rangeConflict(c, owner, exclusive, start, end) == null;
                }
            }, Waiter.FOREVER);
            if (w == Wakeup.INTERRUPTED) throw new LinuxException(Errno.ERESTARTSYS);
        }
    }

    private static Lock rangeConflict(Context c, Object owner, boolean exclusive, long start, long end) {
        for (Lock l : c.ranges) {
            if (l.owner() != owner && l.overlaps(start, end) && (exclusive || l.exclusive())) return l;
        }
        return null;
    }

    private static void apply(Context c, Object owner, int pid, int type, long start, long end) {
        boolean exclusive = type == F_WRLCK;
        long s = start, e = end;
        List<Lock> added = new ArrayList<>();
        for (Iterator<Lock> it = c.ranges.iterator(); it.hasNext(); ) {
            Lock l = it.next();
            if (l.owner() != owner) continue;
            boolean adjacent = (end != OFFSET_MAX && l.start() == end + 1) || (start != 0 && l.end() == start - 1);
            if (type != F_UNLCK && l.exclusive() == exclusive && (l.overlaps(start, end) || adjacent)) {
                // Same type: merge into the new lock.
                s = Math.min(s, l.start());
                e = Math.max(e, l.end());
                it.remove();
            } else if (l.overlaps(start, end)) {
                it.remove();
                if (l.start() < start) added.add(new Lock(owner, l.exclusive(), l.start(), start - 1, l.pid()));
                if (l.end() > end) added.add(new Lock(owner, l.exclusive(), end + 1, l.end(), l.pid()));
            }
        }
        c.ranges.addAll(added);
        if (type != F_UNLCK) c.ranges.add(new Lock(owner, exclusive, s, e, pid));
        c.ranges.sort((x, y) -> Long.compare(x.start(), y.start()));
    }

    // ---- closing ----

    /** A process closed an fd of {@code file}: its POSIX locks on the file go (Linux's locks_remove_posix). */
    public static void closed(Object posixOwner, File file) {
        Context c = existing(file);
        if (c == null) return;
        synchronized (c) {
            if (c.ranges.removeIf(l -> l.owner() == posixOwner)) changed(file, c);
        }
    }

    /** The last reference to an open file description went: its OFD and flock locks go (locks_remove_file). */
    public static void released(File file) {
        Context c = existing(file);
        if (c == null) return;
        synchronized (c) {
            boolean changed = c.ranges.removeIf(l -> l.owner() == file);
            changed |= c.flocks.removeIf(l -> l.owner() == file);
            if (changed) changed(file, c);
        }
    }
}
