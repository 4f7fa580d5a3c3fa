package dev.jux.fs.socket;

import dev.jux.abi.OpenFlags;
import dev.jux.fs.AbstractFile;
import dev.jux.fs.IoctlFile;
import dev.jux.fs.Stat;

/**
 * What every socket file is, whatever its family: an inode of sockfs (its number, owner and
 * /proc name, from {@link SockFs}) and open-file status flags, of which only O_NONBLOCK (and
 * O_ASYNC...) can change, always O_RDWR (sock_alloc_file).
 */
public abstract class SocketFile extends AbstractFile implements IoctlFile {
    final long ino = SockFs.nextInode();
    volatile int uid, gid;

    /** A new socket owned by (uid, gid), the creator's fs ids; {@code flags} may hold O_NONBLOCK. */
    SocketFile(int flags, int uid, int gid) {
        this.flags = OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK);
        this.uid = uid;
        this.gid = gid;
    }

    @Override
    public Stat stat() {
        return SockFs.stat(ino, uid, gid);
    }

    @Override
    public String procName() {
        return SockFs.procName(ino);
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }
}
