package dev.jux.fs.tty;

import dev.jux.abi.OpenFlags;
import dev.jux.fs.AbstractFile;
import dev.jux.fs.IoctlArg;
import dev.jux.fs.IoctlFile;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.Location;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * An open file description of a terminal (Linux's struct file with tty_fops): reads, writes,
 * poll and ioctls go to the {@link Tty}; attributes are those of the node it was opened at, or
 * a character device of the terminal's number when it was handed over without a node (the
 * console on Jux's fds 0-2). Terminals have no position: pread, pwrite and lseek keep File's
 * ESPIPE defaults (tty_fops has no llseek).
 */
public final class TtyFile extends AbstractFile implements IoctlFile {
    private final Tty tty;
    private final Location location;

    public TtyFile(Tty tty, Location location, int flags) {
        this.tty = tty;
        this.location = location;
        this.flags = flags;
        Pty pair = tty.pty();
        if (pair != null) pair.slaveOpened();
    }

    public Tty tty() {
        return tty;
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        return tty.read(waiter, dst, flags);
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        return tty.write(waiter, src, flags);
    }

    @Override
    public int poll(PollTable table) {
        return tty.lineDiscipline().poll(table);
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    @Override
    public long ioctl(Waiter caller, int request, IoctlArg arg) {
        int acc = flags & OpenFlags.O_ACCMODE;
        return tty.ioctl(caller, request, arg, acc != OpenFlags.O_WRONLY);
    }

    @Override
    public byte[] terminalAttributes() {
        return tty.lineDiscipline().termios();
    }

    @Override
    public byte[] windowSize() {
        return tty.windowSize();
    }

    @Override
    public int readableBytes() {
        return tty.lineDiscipline().inputAvailable();
    }

    @Override
    public Stat stat() {
        if (location != null) return location.inode().stat();
        long now = System.currentTimeMillis() / 1000;
        // crw--w---- root tty, as a console or pts node.
        return new Stat(6, 1000 + (tty.rdev() & 0xffff), 1, 0020620, 0, 5, tty.rdev(), 0, 1024, 0, now, 0, now, 0, now, 0);
    }

    @Override
    public dev.jux.fs.vfs.Location location() {
        return location;
    }

    @Override
    public String procName() {
        return "/dev/" + tty.name();
    }

    /** The last fd of this description closed: a pty's master learns when no slave file is left. */
    @Override
    public void release() {
        Pty pair = tty.pty();
        if (pair != null) pair.slaveReleased();
    }
}
