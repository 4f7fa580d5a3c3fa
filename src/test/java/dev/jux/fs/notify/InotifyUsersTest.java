package dev.jux.fs.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.Inotify;
import dev.jux.abi.LinuxException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-user limits of /proc/sys/fs/inotify, which the differential tests cannot reach (the
 * host's own inotify users count against the same limits natively).
 */
class InotifyUsersTest {
    private final InotifyUsers users = new InotifyUsers();

    @Test
    void aUserHasAtMostMaxUserInstancesAndGetsThemBackOnClose() {
        List<InotifyFile> open = new ArrayList<>();
        for (int i = 0; i < InotifyUsers.MAX_USER_INSTANCES; i++) open.add(InotifyFile.create(users, 1000, 0));
        LinuxException full = assertThrows(LinuxException.class, () -> InotifyFile.create(users, 1000, 0));
        assertEquals(Errno.EMFILE, full.errno());
        InotifyFile.create(users, 1001, 0); // another user's count is its own
        open.get(0).release();
        InotifyFile.create(users, 1000, 0);
    }

    @Test
    void aUserHasAtMostMaxUserWatchesAndGetsThemBackOnRemovalOrClose() {
        InotifyFile f = InotifyFile.create(users, 1000, 0);
        List<InodeWatches> inodes = new ArrayList<>();
        for (int i = 0; i < InotifyUsers.MAX_USER_WATCHES; i++) {
            InodeWatches on = new InodeWatches();
            inodes.add(on);
            assertEquals(i + 1, f.addWatch(on, Inotify.IN_MODIFY));
        }
        LinuxException full = assertThrows(LinuxException.class, () -> f.addWatch(new InodeWatches(), Inotify.IN_MODIFY));
        assertEquals(Errno.ENOSPC, full.errno());
        // Changing the mask of an existing watch takes nothing.
        assertEquals(1, f.addWatch(inodes.get(0), Inotify.IN_ATTRIB));
        f.removeWatch(1);
        assertEquals(InotifyUsers.MAX_USER_WATCHES + 1, f.addWatch(new InodeWatches(), Inotify.IN_MODIFY));
        f.release();
        InotifyFile g = InotifyFile.create(users, 1000, 0);
        for (int i = 0; i < 10; i++) g.addWatch(inodes.get(i), Inotify.IN_MODIFY);
        assertFalse(InodeWatches.noneAnywhere());
        g.release();
        for (InodeWatches on : inodes) assertTrue(on.isEmpty());
    }
}
