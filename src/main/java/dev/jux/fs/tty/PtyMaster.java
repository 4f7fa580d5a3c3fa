package dev.jux.fs.tty;

import dev.jux.abi.Errno;
import dev.jux.abi.Ioctls;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.Termios;
import dev.jux.fs.AbstractFile;
import dev.jux.fs.IoctlArg;
import dev.jux.fs.IoctlFile;
import dev.jux.fs.Stat;
import dev.jux.fs.vfs.Location;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * The master side of a {@link Pty}: the file an open of /dev/ptmx returns. Its attributes are
 * the ptmx node's (Linux's master file is the ptmx inode). Closing it hangs up the slave.
 */
public final class PtyMaster extends AbstractFile implements IoctlFile {
    private final Pty pty;
    private final Location location;

    public PtyMaster(Pty pty, Location location, int flags) {
        this.pty = pty;
        this.location = location;
        this.flags = flags;
    }

    public Pty pty() {
        return pty;
    }

    private boolean nonBlocking() {
        return (flags & OpenFlags.O_NONBLOCK) != 0;
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        return pty.masterRead(waiter, dst, nonBlocking());
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        return pty.masterWrite(waiter, src, nonBlocking());
    }

    @Override
    public int poll(PollTable table) {
        return pty.masterPoll(table);
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    /**
     * The master's ioctls: pty_unix98_ioctl's own (TIOCGPTN, TIOCSPTLCK, TIOCGPTLCK, TIOCPKT,
     * TIOCGPKT, TIOCSIG), the master's queues (FIONREAD, TIOCOUTQ, TCFLSH), and the requests
     * tty_ioctl applies to the slave when called on a master (settings, window size,
     * controlling terminal, foreground group; TIOCGPGRP and TIOCGSID without the caller's
     * controlling-terminal check).
     */
    @Override
    public long ioctl(Waiter waiter, int request, IoctlArg arg) {
        Tty slave = pty.slave();
        switch (request) {
            case Ioctls.TIOCGPTN -> arg.writeInt(pty.index());
            case Ioctls.TIOCSPTLCK -> pty.setLocked(arg.readInt() != 0);
            case Ioctls.TIOCGPTLCK -> arg.writeInt(pty.isLocked() ? 1 : 0);
            case Ioctls.TIOCPKT -> pty.setPacket(arg.readInt() != 0);
            case Ioctls.TIOCGPKT -> arg.writeInt(pty.isPacket() ? 1 : 0);
            case Ioctls.TIOCSIG -> {
                // pty_signal: only the three signal characters' signals.
                int sig = (int) arg.value();
                if (sig != Signal.SIGINT.number() && sig != Signal.SIGQUIT.number() && sig != Signal.SIGTSTP.number()) {
                    throw new LinuxException(Errno.EINVAL);
                }
                int fg = slave.foregroundGroup();
                if (fg != 0) pty.processes().signalGroup(fg, sig);
            }
            case Ioctls.FIONREAD -> arg.writeInt(pty.masterQueued());
            case Ioctls.TIOCOUTQ -> arg.writeInt(0);
            case Ioctls.TCFLSH -> {
                int q = (int) arg.value();
                if (q != Termios.TCIFLUSH && q != Termios.TCOFLUSH && q != Termios.TCIOFLUSH) throw new LinuxException(Errno.EINVAL);
                pty.masterFlush(q);
            }
            case Ioctls.TCXONC -> {
                int a = (int) arg.value();
                if (a < Termios.TCOOFF || a > Termios.TCION) throw new LinuxException(Errno.EINVAL);
            }
            case Ioctls.TCSBRK, Ioctls.TCSBRKP -> { }
            case Ioctls.TIOCNOTTY -> throw new LinuxException(Errno.ENOTTY);
            case Ioctls.TIOCGPGRP -> arg.writeInt(slave.foregroundGroup());
            case Ioctls.TIOCGSID -> {
                int s = slave.session();
                if (s == 0) throw new LinuxException(Errno.ENOTTY);
                arg.writeInt(s);
            }
            case Ioctls.TIOCEXCL -> pty.setMasterExclusive(true);
            case Ioctls.TIOCNXCL -> pty.setMasterExclusive(false);
            case Ioctls.TIOCGEXCL -> arg.writeInt(pty.isMasterExclusive() ? 1 : 0);
            case Ioctls.TIOCSTI -> {
                TtyCaller c = pty.processes().caller(waiter);
                if (c != null && !c.isPrivileged()) throw new LinuxException(Errno.EPERM);
                pty.masterInject(arg.read(1)[0]);
            }
            case Ioctls.TCGETS, Ioctls.TCSETS, Ioctls.TCSETSW, Ioctls.TCSETSF, Ioctls.TCGETA, Ioctls.TCSETA,
                    Ioctls.TCSETAW, Ioctls.TCSETAF, Ioctls.TIOCGWINSZ, Ioctls.TIOCSWINSZ, Ioctls.TIOCSCTTY,
                    Ioctls.TIOCSPGRP, Ioctls.TIOCGDEV, Ioctls.TIOCGETD, Ioctls.TIOCSETD ->
                    slave.ioctl(waiter, request, arg, (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_WRONLY);
            default -> throw new LinuxException(Errno.ENOTTY);
        }
        return 0;
    }

    @Override
    public byte[] terminalAttributes() {
        return pty.slave().lineDiscipline().termios();
    }

    @Override
    public byte[] windowSize() {
        return pty.slave().windowSize();
    }

    @Override
    public int readableBytes() {
        return pty.masterQueued();
    }

    @Override
    public Stat stat() {
        return location.inode().stat();
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public String procName() {
        return "/dev/ptmx";
    }

    @Override
    public void release() {
        pty.masterReleased();
    }
}
