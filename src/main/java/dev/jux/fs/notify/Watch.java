package dev.jux.fs.notify;

import dev.jux.abi.Inotify;

/**
 * One inotify watch (Linux's inotify_inode_mark): the instance it reports to, its watch
 * descriptor, the events and flags it asked for (IN_ONESHOT, IN_EXCL_UNLINK) and the inode's
 * watch list it hangs on.
 */
final class Watch {
    final InotifyFile owner;
    final int wd;
    final InodeWatches on;
    /** The kept bits of the mask (Inotify.WATCH_BITS); inotify_add_watch may change them. */
    volatile int mask;
    /** False once removed: a racing event that still holds this watch is dropped. */
    volatile boolean alive = true;

    Watch(InotifyFile owner, int wd, int mask, InodeWatches on) {
        this.owner = owner;
        this.wd = wd;
        this.mask = mask;
        this.on = on;
    }

    /**
     * Queues the event if this watch asked for it (inotify_handle_inode_event). An event about
     * a file whose name is gone is not reported to a watch with IN_EXCL_UNLINK; a one-shot
     * watch ends after its first event.
     */
    void offer(int event, int cookie, byte[] name, boolean unlinked) {
        int m = mask;
        if (!alive || (m & event & Inotify.IN_ALL_EVENTS) == 0) return;
        if (unlinked && (m & Inotify.IN_EXCL_UNLINK) != 0) return;
        owner.queue(wd, event, cookie, name);
        if ((m & Inotify.IN_ONESHOT) != 0) owner.remove(this);
    }
}
