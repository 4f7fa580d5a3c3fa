package dev.jux.fs.socket;

import dev.jux.abi.FileMode;
import dev.jux.fs.Stat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every socket of Jux shares as Linux's sockfs: one pseudo device, one inode counter
 * (so no two sockets, unix or inet, have the same st_dev/st_ino), the stat(2) of a socket
 * and its /proc/PID/fd name.
 */
final class SockFs {
    private SockFs() {}

    /** st_dev of sockfs on Linux is an anonymous device; Jux gives its sockets this one. */
    private static final long DEV = 9;
    private static final AtomicLong INODES = new AtomicLong(10000);

    static long nextInode() {
        return INODES.getAndIncrement();
    }

    static Stat stat(long ino, int uid, int gid) {
        return new Stat(DEV, ino, 1, FileMode.S_IFSOCK | 0777, uid, gid, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }

    static String procName(long ino) {
        return "socket:[" + ino + "]";
    }
}
