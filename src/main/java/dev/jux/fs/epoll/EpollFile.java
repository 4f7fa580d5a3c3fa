package dev.jux.fs.epoll;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.File;
import dev.jux.wait.PollTable;
import dev.jux.wait.ReadinessWait;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7), fs/eventpoll.c): an interest list of (file, fd) watches and a
 * ready list. Each {@link Watch} sits on the wait queues of its file (registered through the
 * file's own {@link File#poll}), and a wake whose poll bits it wants puts it on the ready
 * list, in the order the wakes came, as Linux's ep_poll_callback. epoll_wait takes watches
 * from the front, polls each file again and reports those with events: a level-triggered
 * watch goes back to the tail, an EPOLLET one waits for its next wake, an EPOLLONESHOT one is
 * disabled until EPOLL_CTL_MOD.
 *
 * Locks: {@code scan} serialises epoll_ctl and epoll_wait (Linux's ep->mtx) and is held while
 * files are polled; the ready list is guarded by {@code this} (ep->lock), which a wake takes
 * alone, so a file may wake its watches from any thread as long as it holds none of its own
 * locks while doing so.
 */
public final class EpollFile extends AnonInodeFile {
    public static final int EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10,
            EPOLLRDNORM = 0x40, EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200, EPOLLMSG = 0x400,
            EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    /** The bits a disabled EPOLLONESHOT watch keeps (EP_PRIVATE_BITS). */
    static final int PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** What may accompany EPOLLEXCLUSIVE (EPOLLEXCLUSIVE_OK_BITS). */
    static final int EXCLUSIVE_OK_BITS = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
    public static final int CTL_ADD = 1, CTL_DEL = 2, CTL_MOD = 3;

    /** One reported event: struct epoll_event. */
    public record Event(int events, long data) {}

    private record Key(File file, int fd) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.file == file && k.fd == fd;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(file) * 31 + fd;
        }
    }

    /** One entry of the interest list (Linux's epitem); as a Waiter it is what the file's queues wake. */
    final class Watch implements Waiter {
        final File file;
        final int fd;
        volatile int events;
        long data;
        volatile boolean removed;
        /** For a watch whose file the host must be asked about (no wakes): its mask at the last check, to find edges. */
        int lastHostMask;
        final PollTable table = new PollTable(this);

        Watch(File file, int fd) {
            this.file = file;
            this.fd = fd;
        }

        EpollFile owner() {
            return EpollFile.this;
        }

        /** The file's readiness masked by what this watch wants. */
        int poll(PollTable t) {
            return file.poll(t) & (events & ~PRIVATE_BITS);
        }

        @Override
        public dev.jux.wait.Wakeup block(java.util.function.BooleanSupplier ready, long deadline) {
            throw new UnsupportedOperationException("an epoll watch never blocks");
        }

        @Override
        public void wake() {
            wake(0);
        }

        /** ep_poll_callback: a disabled watch and one that does not want these bits ignore the wake. */
        @Override
        public void wake(int key) {
            int wanted = events & ~PRIVATE_BITS;
            if (wanted == 0) return;
            if (key != 0 && (key & wanted) == 0) return;
            markReady(this);
        }
    }

    private final Object scan = new Object();
    private final Map<Key, Watch> watches = new HashMap<>();
    private final LinkedHashSet<Watch> ready = new LinkedHashSet<>();
    private final WaitQueue waiters = new WaitQueue();

    public EpollFile(int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_CLOEXEC));
    }

    private void markReady(Watch w) {
        boolean added;
        synchronized (this) {
            added = ready.add(w);
        }
        if (added) waiters.wakeAll(EPOLLIN | EPOLLRDNORM);
    }

    private synchronized boolean hasReady() {
        return !ready.isEmpty();
    }

    /** epoll_ctl(2) once the fds are resolved: {@code target} is the file of {@code fd}. */
    public void control(int op, int fd, File target, int events, long data) {
        if (!target.supportsPoll()) throw new LinuxException(Errno.EPERM);
        if (op != CTL_DEL) events &= ~EPOLLWAKEUP; // needs CAP_BLOCK_SUSPEND, and Jux has no suspend to block
        if (target == this) throw new LinuxException(Errno.EINVAL);
        if (op != CTL_DEL && (events & EPOLLEXCLUSIVE) != 0) {
            if (op == CTL_MOD) throw new LinuxException(Errno.EINVAL);
            if (op == CTL_ADD && (target instanceof EpollFile || (events & ~EXCLUSIVE_OK_BITS) != 0)) throw new LinuxException(Errno.EINVAL);
        }
        synchronized (scan) {
            Key key = new Key(target, fd);
            Watch w = watches.get(key);
            switch (op) {
                case CTL_ADD -> {
                    if (w != null) throw new LinuxException(Errno.EEXIST);
                    if (target instanceof EpollFile e && e.reaches(this, 0)) throw new LinuxException(Errno.ELOOP);
                    w = new Watch(target, fd);
                    w.events = events | EPOLLERR | EPOLLHUP;
                    w.data = data;
                    watches.put(key, w);
                    Epolls.watching(target, w);
                    int now = w.poll(w.table);
                    w.lastHostMask = now;
                    if (now != 0) markReady(w);
                }
                case CTL_DEL -> {
                    if (w == null) throw new LinuxException(Errno.ENOENT);
                    remove(key, w);
                }
                case CTL_MOD -> {
                    if (w == null) throw new LinuxException(Errno.ENOENT);
                    if ((w.events & EPOLLEXCLUSIVE) != 0) throw new LinuxException(Errno.EINVAL);
                    w.events = events | EPOLLERR | EPOLLHUP;
                    w.data = data;
                    if (w.poll(null) != 0) markReady(w);
                }
                default -> throw new LinuxException(Errno.EINVAL);
            }
        }
    }

    /** True if this epoll watches {@code other}, directly or through nested epolls (ELOOP; Linux also caps depth at 5). */
    private boolean reaches(EpollFile other, int depth) {
        if (this == other || depth > 4) return true;
        List<Watch> nested;
        synchronized (scan) {
            nested = new ArrayList<>(watches.values());
        }
        for (Watch w : nested) if (w.file instanceof EpollFile e && e.reaches(other, depth + 1)) return true;
        return false;
    }

    private void remove(Key key, Watch w) {
        watches.remove(key);
        w.removed = true;
        w.table.close();
        synchronized (this) {
            ready.remove(w);
        }
        Epolls.notWatching(w.file, w);
    }

    /** The file behind a watch was closed for the last time: the watch goes (eventpoll_release). */
    void released(Watch w) {
        synchronized (scan) {
            Key key = new Key(w.file, w.fd);
            if (watches.get(key) == w) remove(key, w);
        }
    }

    /**
     * epoll_wait: up to {@code max} events, waiting until {@code deadline} (System.nanoTime,
     * {@link Waiter#FOREVER}); null if a signal came first (the call fails with EINTR, never
     * restarted).
     */
    public List<Event> await(Waiter waiter, int max, long deadline) {
        List<Event> out = new ArrayList<>();
        int r = ReadinessWait.await(waiter, table -> {
            table.watch(waiters);
            checkHostWatches(table);
            if (!hasReady()) return 0;
            out.clear();
            harvest(max, out);
            return out.size();
        }, deadline);
        return r == ReadinessWait.INTERRUPTED ? null : out;
    }

    /**
     * Watches of files that cannot wake them (host streams) are asked again at every scan:
     * a level-triggered one goes on the ready list while it has events, an edge-triggered one
     * when bits appear that the last check did not see. The waiting table is told to poll in
     * slices meanwhile.
     */
    private void checkHostWatches(PollTable table) {
        List<Watch> polled = new ArrayList<>();
        synchronized (scan) {
            for (Watch w : watches.values()) if (w.table.isPolling()) polled.add(w);
        }
        if (polled.isEmpty()) return;
        if (table != null) table.needsPolling();
        for (Watch w : polled) {
            int mask = w.poll(null);
            boolean edge = (w.events & EPOLLET) != 0;
            if (edge ? (mask & ~w.lastHostMask) != 0 : mask != 0) markReady(w);
            w.lastHostMask = mask;
        }
    }

    /** ep_send_events: takes the ready list, reports watches whose files have events. */
    private void harvest(int max, List<Event> out) {
        synchronized (scan) {
            List<Watch> taken;
            synchronized (this) {
                taken = new ArrayList<>(ready);
                ready.clear();
            }
            List<Watch> requeue = new ArrayList<>();
            int i = 0;
            for (; i < taken.size() && out.size() < max; i++) {
                Watch w = taken.get(i);
                if (w.removed) continue;
                int revents = w.poll(null);
                if (revents == 0) continue;
                out.add(new Event(revents, w.data));
                if ((w.events & EPOLLONESHOT) != 0) w.events &= PRIVATE_BITS;
                else if ((w.events & EPOLLET) == 0) requeue.add(w);
            }
            synchronized (this) {
                // Linux puts what it did not look at back in front, then the level-triggered ones.
                LinkedHashSet<Watch> rebuilt = new LinkedHashSet<>(taken.subList(i, taken.size()));
                rebuilt.addAll(ready); // woken meanwhile
                rebuilt.addAll(requeue);
                ready.clear();
                ready.addAll(rebuilt);
            }
        }
    }

    /** An epoll fd is readable when some watch has events (ep_eventpoll_poll); watchers of it are woken through its queue. */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(waiters);
        checkHostWatches(table);
        List<Watch> candidates;
        synchronized (this) {
            candidates = new ArrayList<>(ready);
        }
        for (Watch w : candidates) if (w.poll(null) != 0) return EPOLLIN | EPOLLRDNORM;
        return 0;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public void release() {
        synchronized (scan) {
            for (Map.Entry<Key, Watch> e : new ArrayList<>(watches.entrySet())) remove(e.getKey(), e.getValue());
        }
    }


    @Override
    public String procName() {
        return "anon_inode:[eventpoll]";
    }
}
