package dev.jux.fs.notify;

import dev.jux.abi.Errno;
import dev.jux.abi.Inotify;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.epoll.AnonInodeFile;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An inotify instance (inotify(7), fs/notify/inotify): its watches by descriptor and its
 * queue of events, which read(2) hands out as {@code struct inotify_event} records. As in
 * Linux, an event identical to the last one queued (same watch, mask and name) is dropped,
 * and a full queue ends with one IN_Q_OVERFLOW event (wd -1).
 */
public final class InotifyFile extends AnonInodeFile {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final InotifyUsers users;
    private final int uid;
    private final WaitQueue readers = new WaitQueue();

    // Guarded by this.
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private int queuedBytes;
    private boolean overflowQueued;
    private final Map<Integer, Watch> byWd = new HashMap<>();
    private int lastWd;
    private boolean released;

    private InotifyFile(InotifyUsers users, int uid, int flags) {
        super(OpenFlags.O_RDONLY | (flags & OpenFlags.O_NONBLOCK));
        this.users = users;
        this.uid = uid;
    }

    /** inotify_init1: a new instance of user {@code uid} (EMFILE past max_user_instances). */
    public static InotifyFile create(InotifyUsers users, int uid, int flags) {
        users.takeInstance(uid);
        return new InotifyFile(users, uid, flags);
    }

    /**
     * inotify_add_watch on the inode whose watch list is {@code on} (inotify_update_watch): an
     * existing watch of this instance keeps its descriptor and gets the new mask, or the union
     * with IN_MASK_ADD, or fails with EEXIST under IN_MASK_CREATE; a new one takes the next
     * descriptor (they count up from 1 and are not reused until they wrap, Linux's cyclic idr).
     */
    public int addWatch(InodeWatches on, int arg) {
        int bits = arg & Inotify.WATCH_BITS;
        synchronized (on) {
            Watch w = on.find(this);
            if (w != null) {
                if ((arg & Inotify.IN_MASK_CREATE) != 0) throw new LinuxException(Errno.EEXIST);
                w.mask = ((arg & Inotify.IN_MASK_ADD) != 0 ? w.mask : 0) | bits;
                return w.wd;
            }
            users.takeWatch(uid);
            synchronized (this) {
                if (released) { // closed by another thread meanwhile: nothing may hang on the inode
                    users.returnWatch(uid);
                    throw new LinuxException(Errno.EBADF);
                }
                w = new Watch(this, nextWd(), bits, on);
                byWd.put(w.wd, w);
            }
            on.add(w);
            return w.wd;
        }
    }

    private int nextWd() {
        do {
            lastWd = lastWd == Integer.MAX_VALUE ? 1 : lastWd + 1;
        } while (byWd.containsKey(lastWd));
        return lastWd;
    }

    /** inotify_rm_watch: EINVAL for a descriptor this instance does not have; the watch ends with IN_IGNORED. */
    public void removeWatch(int wd) {
        Watch w;
        synchronized (this) {
            w = byWd.get(wd);
        }
        if (w == null || !remove(w)) throw new LinuxException(Errno.EINVAL);
    }

    /** Ends watch {@code w} with IN_IGNORED; false if something else ended it first. */
    boolean remove(Watch w) {
        if (!detach(w)) return false;
        synchronized (this) {
            byWd.remove(w.wd);
        }
        queue(w.wd, Inotify.IN_IGNORED, 0, null);
        return true;
    }

    /** Takes {@code w} off its inode and gives its count back; false if something else did first. */
    private boolean detach(Watch w) {
        if (!w.on.remove(w)) return false;
        w.alive = false;
        users.returnWatch(uid);
        return true;
    }

    /** Queues an event (fsnotify_insert_event with inotify_merge). */
    void queue(int wd, int mask, int cookie, byte[] name) {
        synchronized (this) {
            if (released) return;
            if (events.size() >= InotifyUsers.MAX_QUEUED_EVENTS) {
                if (overflowQueued) return;
                overflowQueued = true;
                append(new Event(-1, Inotify.IN_Q_OVERFLOW, 0, null));
            } else {
                Event last = events.peekLast();
                if (last != null && last.repeatedBy(wd, mask, name)) return;
                append(new Event(wd, mask, cookie, name));
            }
        }
        readers.wakeAll(Poll.POLLIN);
    }

    private void append(Event e) {
        events.addLast(e);
        queuedBytes += e.size();
    }

    /**
     * inotify_read: whole events while they fit; EINVAL if even the first does not (a read of 0
     * bytes too); EAGAIN or a wait when none is queued.
     */
    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        while (true) {
            long copied = 0;
            synchronized (this) {
                while (!events.isEmpty()) {
                    Event e = events.peekFirst();
                    if (e.size() > dst.byteSize() - copied) {
                        if (copied == 0) throw new LinuxException(Errno.EINVAL);
                        break;
                    }
                    events.removeFirst();
                    queuedBytes -= e.size();
                    if (e.wd == -1) overflowQueued = false;
                    e.writeTo(dst.asSlice(copied));
                    copied += e.size();
                }
            }
            if (copied > 0) return copied;
            if ((flags & OpenFlags.O_NONBLOCK) != 0) throw new LinuxException(Errno.EAGAIN);
            if (readers.await(waiter, this::hasEvents, Waiter.FOREVER) != Wakeup.READY) throw new LinuxException(Errno.ERESTARTSYS);
        }
    }

    private synchronized boolean hasEvents() {
        return !events.isEmpty();
    }

    @Override
    public boolean takesBeforeCopying() {
        return true; // copy_event_to_user / copy_to_iter after the event or count was taken
    }

    @Override
    public boolean readsNothing() {
        return true; // inotify_read with count 0: EINVAL if an event is queued
    }

    /** FIONREAD: the bytes of every queued event. */
    @Override
    public synchronized int readableBytes() {
        return queuedBytes;
    }

    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(readers);
        return hasEvents() ? Poll.POLLIN | Poll.POLLRDNORM : 0;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    /** inotify's file has noop_llseek: every seek succeeds and the offset stays 0. */
    @Override
    public long seek(long offset, int whence) {
        return 0;
    }

    /** The last close ends every watch without IN_IGNORED (fsnotify_destroy_group). */
    @Override
    public void release() {
        List<Watch> all;
        synchronized (this) {
            released = true;
            all = new ArrayList<>(byWd.values());
            byWd.clear();
            events.clear();
            queuedBytes = 0;
        }
        for (Watch w : all) detach(w);
        users.returnInstance(uid);
    }

    @Override
    public String procName() {
        return "anon_inode:inotify";
    }

    /** One queued event; {@code name} is null for an event about the watched inode itself. */
    private record Event(int wd, int mask, int cookie, byte[] name) {
        /** The record's size: the header, then the name NUL-terminated and padded to a multiple of 16. */
        int size() {
            return Inotify.EVENT_SIZE + paddedNameLength();
        }

        private int paddedNameLength() {
            return name == null ? 0 : (name.length + Inotify.EVENT_SIZE) & ~(Inotify.EVENT_SIZE - 1);
        }

        /** inotify_merge's test: the same watch, mask and name (never after an IN_IGNORED). */
        boolean repeatedBy(int wd2, int mask2, byte[] name2) {
            if ((mask & Inotify.IN_IGNORED) != 0) return false;
            return wd == wd2 && mask == mask2 && java.util.Arrays.equals(name, name2);
        }

        void writeTo(MemorySegment dst) {
            int len = paddedNameLength();
            dst.set(LE_INT, 0, wd);
            dst.set(LE_INT, 4, mask);
            dst.set(LE_INT, 8, cookie);
            dst.set(LE_INT, 12, len);
            if (len > 0) {
                MemorySegment.copy(MemorySegment.ofArray(name), 0, dst, Inotify.EVENT_SIZE, name.length);
                dst.asSlice(Inotify.EVENT_SIZE + name.length, len - name.length).fill((byte) 0);
            }
        }
    }
}
