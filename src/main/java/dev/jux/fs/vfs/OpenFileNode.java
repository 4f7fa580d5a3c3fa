package dev.jux.fs.vfs;

import dev.jux.fs.File;
import dev.jux.fs.Stat;
import dev.jux.wait.Waiter;

/**
 * An open file without a place in the tree (a pipe, a socket, one of Jux's host streams), as
 * following its /proc/PID/fd/N link reaches it: stat(2) shows the file's own status, and
 * open(2) makes a new open file description of it ({@link File#reopen}), as Linux opens the
 * pipefs or sockfs inode the link jumps to.
 */
public final class OpenFileNode extends Inode {
    private final File file;

    public OpenFileNode(FileSystem fs, File file) {
        this(fs, file, file.stat());
    }

    private OpenFileNode(FileSystem fs, File file, Stat s) {
        super(fs, s.ino(), s.mode(), s.uid(), s.gid());
        this.file = file;
    }

    @Override
    public long size() {
        return file.stat().size();
    }

    @Override
    public synchronized Stat stat() {
        return file.stat();
    }

    /** The open(2) at the end of the walk: access was checked against this node's mode and owner. */
    public File reopen(Waiter waiter, int flags) {
        return file.reopen(waiter, flags);
    }
}
