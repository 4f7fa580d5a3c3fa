package dev.jux.fs.notify;

import dev.jux.abi.Inotify;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inotify watches on one inode (Linux's fsnotify mark connector), at most one per inotify
 * instance. The VFS hands it each event about the inode; the list is copied on change, so an
 * event walks it without a lock. A count of the watches alive anywhere lets the VFS skip all
 * of this while nobody watches anything.
 */
public final class InodeWatches {
    private static final Watch[] NONE = {};
    private static final AtomicInteger ALIVE = new AtomicInteger();

    private volatile Watch[] watches = NONE;

    /** True while no inotify watch exists in this JVM: every VFS hook returns at once. */
    public static boolean noneAnywhere() {
        return ALIVE.get() == 0;
    }

    /**
     * Reports {@code event} (an IN_* event, with IN_ISDIR when the subject is a directory) to
     * every watch that asked for it. {@code name} is the child's name for an event a directory
     * hears about one of its entries, else null; {@code unlinked} says the child's name is gone.
     */
    public void notify(int event, int cookie, byte[] name, boolean unlinked) {
        for (Watch w : watches) w.offer(event, cookie, name, unlinked);
    }

    /**
     * The inode is gone (its last name and last user, Linux's fsnotify_inoderemove): every
     * watch hears {@code IN_DELETE_SELF} if it asked for it (without IN_ISDIR, even for a
     * directory, as Linux 6.x reports it), then ends with IN_IGNORED.
     */
    public void inodeRemoved() {
        notify(Inotify.IN_DELETE_SELF, 0, null, false);
        for (Watch w : watches) w.owner.remove(w);
    }

    public boolean isEmpty() {
        return watches.length == 0;
    }

    /** This instance's watch here, or null. With this list's lock held. */
    Watch find(InotifyFile owner) {
        for (Watch w : watches) {
            if (w.owner == owner) return w;
        }
        return null;
    }

    /** With this list's lock held. */
    void add(Watch w) {
        Watch[] old = watches;
        Watch[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = w;
        watches = grown;
        ALIVE.incrementAndGet();
    }

    /** Takes {@code w} off the list; false if it was no longer there. */
    synchronized boolean remove(Watch w) {
        Watch[] old = watches;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == w) {
                Watch[] shrunk = new Watch[old.length - 1];
                System.arraycopy(old, 0, shrunk, 0, i);
                System.arraycopy(old, i + 1, shrunk, i, old.length - i - 1);
                watches = shrunk;
                ALIVE.decrementAndGet();
                return true;
            }
        }
        return false;
    }
}
