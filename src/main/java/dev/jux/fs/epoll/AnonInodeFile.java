package dev.jux.fs.epoll;

import dev.jux.fs.AbstractFile;
import dev.jux.fs.Stat;

/**
 * An open file with no name in any file system, as Linux's anon_inode_getfile makes them
 * (epoll, eventfd): one inode number of its own on the anonymous-inode device, mode 0600,
 * and open(2)-style status flags of which fcntl(F_SETFL) may change the usual ones.
 */
public abstract class AnonInodeFile extends AbstractFile {
    /** Linux's anon_inodefs device number as stat shows it (0:14). */
    private static final long ANON_INODE_DEV = 0xe;

    private final long inode = Epolls.nextInode();

    protected AnonInodeFile(int flags) {
        this.flags = flags;
    }

    @Override
    public Stat stat() {
        return new Stat(ANON_INODE_DEV, inode, 1, 0600, 0, 0, 0, 0, 4096, 0, 0, 0, 0, 0, 0, 0);
    }
}
