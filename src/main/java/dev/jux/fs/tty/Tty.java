package dev.jux.fs.tty;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Errno;
import dev.jux.abi.Ioctls;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.Termios;
import dev.jux.fs.IoctlArg;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;

/**
 * A terminal device (Linux's tty_struct): its line discipline, window size, and the session
 * and foreground process group it controls, with the job-control rules of drivers/tty/tty_io.c
 * and tty_jobctrl.c. The device side feeds it with {@link #receive}; its output goes to the
 * {@link TtyOutput} it was made with. Processes are reached through {@link TtyProcesses}.
 * Lock order: this object's lock is never held while calling {@link TtyProcesses}.
 */
public final class Tty {
    private final String name;
    private final long rdev;
    private final LineDiscipline ldisc;
    private final TtyProcesses processes;
    /** The session this is the controlling terminal of, and its foreground group; 0 if none. */
    private int session, foregroundGroup;
    private int rows, cols, xpixel, ypixel;
    private boolean exclusive;
    /** The pair this is the slave of, or null. */
    private volatile Pty pty;

    public Tty(String name, long rdev, TtyOutput output, TtyProcesses processes) {
        this.name = name;
        this.rdev = rdev;
        this.processes = processes;
        this.ldisc = new LineDiscipline(output, this::signalForeground);
    }

    /** The name under /dev ("console", "pts/0"). */
    public String name() {
        return name;
    }

    public long rdev() {
        return rdev;
    }

    /** The pseudo-terminal pair this is the slave of, or null (the console). */
    public Pty pty() {
        return pty;
    }

    void setPty(Pty pair) {
        pty = pair;
    }

    public LineDiscipline lineDiscipline() {
        return ldisc;
    }

    public synchronized int session() {
        return session;
    }

    public synchronized int foregroundGroup() {
        return foregroundGroup;
    }

    /** Makes this the controlling terminal of {@code caller}'s session, with its group in the foreground (__proc_set_tty). */
    public void attach(TtyCaller caller) {
        synchronized (this) {
            session = caller.session();
            foregroundGroup = caller.processGroup();
        }
        caller.setControllingTerminal(this);
    }

    // ---- the device side ----

    /** Input from the device; returns how many bytes the line discipline took (see LineDiscipline.receive). */
    public int receive(byte[] b, int off, int len) {
        return ldisc.receive(b, off, len);
    }

    /** The device's size changed (or TIOCSWINSZ): SIGWINCH to the foreground group if it differs (tty_do_resize). */
    public void resize(int rows, int cols, int xpixel, int ypixel) {
        int fg;
        synchronized (this) {
            if (this.rows == rows && this.cols == cols && this.xpixel == xpixel && this.ypixel == ypixel) return;
            this.rows = rows;
            this.cols = cols;
            this.xpixel = xpixel;
            this.ypixel = ypixel;
            fg = foregroundGroup;
        }
        if (fg != 0) processes.signalGroup(fg, Signal.SIGWINCH.number());
    }

    /** struct winsize: rows, columns, x and y pixels (16 bits each). */
    public synchronized byte[] windowSize() {
        return new byte[] {(byte) rows, (byte) (rows >> 8), (byte) cols, (byte) (cols >> 8),
            (byte) xpixel, (byte) (xpixel >> 8), (byte) ypixel, (byte) (ypixel >> 8)};
    }

    /**
     * The device went away (the host terminal closed, a pty's master closed): Linux's
     * tty_vhangup, whose tty_signal_session_leader sends the session leader SIGHUP and SIGCONT
     * and takes the terminal from every process of the session (the foreground group is not
     * signalled: the leader, a shell, passes SIGHUP on to its jobs). Files open on it then read
     * 0, and fail writes and ioctls with EIO.
     */
    public void hangup() {
        int s, fg;
        synchronized (this) {
            s = session;
            fg = foregroundGroup;
            session = 0;
            foregroundGroup = 0;
        }
        ldisc.hangup();
        if (s != 0) {
            // Linux queues SIGHUP and SIGCONT under one lock, so the leader sees both at once.
            // Sent one by one, SIGCONT goes first: the leader cannot take SIGHUP and carry on
            // before SIGCONT is there.
            // The session loses its terminal before the signals, as tty_signal_session_leader.
            processes.clearControllingTerminal(s, this);
            processes.signalSessionLeader(s, Signal.SIGCONT.number());
            processes.signalSessionLeader(s, Signal.SIGHUP.number());
        }
    }

    /**
     * The leader of the session this terminal controls exited (disassociate_ctty(1)): the
     * foreground group gets SIGHUP and SIGCONT and the session loses its terminal.
     */
    public void sessionLeaderExited(int leaderSession) {
        int fg;
        synchronized (this) {
            if (session != leaderSession || session == 0) return;
            fg = foregroundGroup;
            session = 0;
            foregroundGroup = 0;
        }
        if (fg != 0) {
            processes.signalGroup(fg, Signal.SIGHUP.number());
            processes.signalGroup(fg, Signal.SIGCONT.number());
        }
        processes.clearControllingTerminal(leaderSession, this);
    }

    private void signalForeground(int signal) {
        int fg = foregroundGroup();
        if (fg != 0) processes.signalGroup(fg, signal);
    }

    // ---- the file side ----

    /** open(2) of this terminal: a session leader without one gets it as its controlling terminal, unless O_NOCTTY (tty_open). */
    public void opened(Waiter waiter, int openFlags, boolean noctty) {
        if ((openFlags & OpenFlags.O_NOCTTY) != 0 || noctty) return;
        TtyCaller c = processes.caller(waiter);
        if (c == null || !c.isSessionLeader() || c.controllingTerminal() != null) return;
        if ((openFlags & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY) return;
        synchronized (this) {
            if (session != 0) return;
        }
        attach(c);
    }

    /** read(2): job control first (SIGTTIN for a background group), then the line discipline. */
    public long read(Waiter waiter, MemorySegment dst, int fileFlags) {
        if (ldisc.isHungUp()) return 0;     // hung_up_tty_read
        checkChange(waiter, Signal.SIGTTIN.number());
        return ldisc.read(waiter, dst, (fileFlags & OpenFlags.O_NONBLOCK) != 0);
    }

    /** write(2): with TOSTOP, a background group gets SIGTTOU (unless it blocks or ignores it). */
    public long write(Waiter waiter, MemorySegment src, int fileFlags) {
        if (ldisc.localFlag(Termios.TOSTOP)) checkChange(waiter, Signal.SIGTTOU.number());
        return ldisc.write(waiter, src, (fileFlags & OpenFlags.O_NONBLOCK) != 0);
    }

    /**
     * Linux's __tty_check_change: a process of a background group using its controlling
     * terminal is sent {@code signal} (its whole group) and the call restarts after it is
     * continued; if it blocks or ignores the signal, SIGTTIN is EIO and SIGTTOU goes ahead; an
     * orphaned group cannot be stopped and gets EIO.
     */
    void checkChange(Waiter waiter, int signal) {
        TtyCaller c = processes.caller(waiter);
        if (c == null || c.controllingTerminal() != this) return;
        int fg = foregroundGroup();
        if (fg == 0 || c.processGroup() == fg) return;
        if (c.blocksOrIgnores(signal)) {
            if (signal == Signal.SIGTTIN.number()) throw new LinuxException(Errno.EIO);
            return;
        }
        if (c.processGroupOrphaned()) throw new LinuxException(Errno.EIO);
        processes.signalGroup(c.processGroup(), signal);
        throw new LinuxException(Errno.ERESTARTSYS);
    }

    /** The terminal ioctls (tty_ioctl, tty_mode_ioctl, n_tty_ioctl); ENOTTY for others. */
    public long ioctl(Waiter waiter, int request, IoctlArg arg, boolean readable) {
        // hung_up_tty_ioctl
        if (ldisc.isHungUp()) throw new LinuxException(request == Ioctls.TIOCSPGRP ? Errno.ENOTTY : Errno.EIO);
        switch (request) {
            case Ioctls.TCGETS -> arg.write(ldisc.termios());
            case Ioctls.TCSETS, Ioctls.TCSETSW, Ioctls.TCSETSF -> {
                checkChange(waiter, Signal.SIGTTOU.number());
                byte[] t = arg.read(Termios.SIZE);
                // Output is written through at once, so TCSETSW has nothing to drain.
                if (request == Ioctls.TCSETSF) ldisc.flush(Termios.TCIFLUSH);
                ldisc.setTermios(t);
            }
            case Ioctls.TCGETA -> arg.write(Termios.toTermio(ldisc.termios()));
            case Ioctls.TCSETA, Ioctls.TCSETAW, Ioctls.TCSETAF -> {
                checkChange(waiter, Signal.SIGTTOU.number());
                byte[] t = Termios.fromTermio(arg.read(Termios.TERMIO_SIZE), ldisc.termios());
                if (request == Ioctls.TCSETAF) ldisc.flush(Termios.TCIFLUSH);
                ldisc.setTermios(t);
            }
            // ptm_open_peer on anything but a master
            case Ioctls.TIOCGPTPEER -> throw new LinuxException(Errno.EIO);
            case Ioctls.TIOCGWINSZ -> arg.write(windowSize());
            case Ioctls.TIOCSWINSZ -> {
                byte[] w = arg.read(8);
                resize(u16(w, 0), u16(w, 2), u16(w, 4), u16(w, 6));
            }
            case Ioctls.TIOCSCTTY -> setControlling(waiter, (int) arg.value(), readable);
            case Ioctls.TIOCNOTTY -> noControlling(waiter);
            case Ioctls.TIOCGPGRP -> {
                TtyCaller c = processes.caller(waiter);
                if (c == null || c.controllingTerminal() != this) throw new LinuxException(Errno.ENOTTY);
                arg.writeInt(foregroundGroup());
            }
            case Ioctls.TIOCSPGRP -> setForeground(waiter, arg);
            case Ioctls.TIOCGSID -> {
                TtyCaller c = processes.caller(waiter);
                int s = session();
                if (c == null || c.controllingTerminal() != this || s == 0) throw new LinuxException(Errno.ENOTTY);
                arg.writeInt(s);
            }
            case Ioctls.TIOCOUTQ -> arg.writeInt(0);
            case Ioctls.FIONREAD -> arg.writeInt(ldisc.inputAvailable());
            case Ioctls.TCFLSH -> {
                checkChange(waiter, Signal.SIGTTOU.number());
                int q = (int) arg.value();
                if (q != Termios.TCIFLUSH && q != Termios.TCOFLUSH && q != Termios.TCIOFLUSH) throw new LinuxException(Errno.EINVAL);
                ldisc.flush(q);
            }
            case Ioctls.TCXONC -> {
                checkChange(waiter, Signal.SIGTTOU.number());
                ldisc.flow((int) arg.value());
            }
            case Ioctls.TCSBRK, Ioctls.TCSBRKP -> { /* tcdrain/tcsendbreak: output is never queued */ }
            case Ioctls.TIOCSTI -> {
                TtyCaller c = processes.caller(waiter);
                if (c != null && c.controllingTerminal() != this && !c.isPrivileged()) throw new LinuxException(Errno.EPERM);
                byte[] b = arg.read(1);
                ldisc.receive(b, 0, 1);
            }
            case Ioctls.TIOCGETD -> arg.writeInt(0);   // N_TTY
            case Ioctls.TIOCSETD -> {
                if (arg.readInt() != 0) throw new LinuxException(Errno.EINVAL);
            }
            case Ioctls.TIOCEXCL -> { synchronized (this) { exclusive = true; } }
            case Ioctls.TIOCNXCL -> { synchronized (this) { exclusive = false; } }
            case Ioctls.TIOCGEXCL -> arg.writeInt(isExclusive() ? 1 : 0);
            case Ioctls.TIOCGDEV -> arg.writeInt((int) ((DeviceNumber.minor(rdev) & 0xff) | (DeviceNumber.major(rdev) << 8)
                    | ((DeviceNumber.minor(rdev) & ~0xffL) << 12)));
            default -> throw new LinuxException(Errno.ENOTTY);
        }
        return 0;
    }

    private synchronized boolean isExclusive() {
        return exclusive;
    }

    /** TIOCSCTTY (tiocsctty): a session leader without a terminal takes this one; arg 1 lets root steal it. */
    private void setControlling(Waiter waiter, int steal, boolean readable) {
        TtyCaller c = processes.caller(waiter);
        if (c == null) throw new LinuxException(Errno.EPERM);
        int current = session();
        if (c.isSessionLeader() && current == c.session()) return;
        if (!c.isSessionLeader() || c.controllingTerminal() != null) throw new LinuxException(Errno.EPERM);
        if (current != 0) {
            if (steal == 1 && c.isPrivileged()) processes.clearControllingTerminal(current, this);
            else throw new LinuxException(Errno.EPERM);
        }
        if (!readable && !c.isPrivileged()) throw new LinuxException(Errno.EPERM);
        attach(c);
    }

    /** TIOCNOTTY: a session leader gives the terminal up for its whole session (SIGHUP and SIGCONT to the foreground group); others just for themselves. */
    private void noControlling(Waiter waiter) {
        TtyCaller c = processes.caller(waiter);
        if (c == null || c.controllingTerminal() != this) throw new LinuxException(Errno.ENOTTY);
        if (!c.isSessionLeader()) {
            c.setControllingTerminal(null);
            return;
        }
        int s, fg;
        synchronized (this) {
            s = session;
            fg = foregroundGroup;
            session = 0;
            foregroundGroup = 0;
        }
        if (fg != 0) {
            processes.signalGroup(fg, Signal.SIGHUP.number());
            processes.signalGroup(fg, Signal.SIGCONT.number());
        }
        processes.clearControllingTerminal(s, this);
        c.setControllingTerminal(null);
    }

    /** TIOCSPGRP (tiocspgrp): the order of Linux's checks, EIO from the job-control check reading as ENOTTY. */
    private void setForeground(Waiter waiter, IoctlArg arg) {
        TtyCaller c = processes.caller(waiter);
        if (c == null) throw new LinuxException(Errno.ENOTTY);
        try {
            checkChange(waiter, Signal.SIGTTOU.number());
        } catch (LinuxException e) {
            if (e.errno() == Errno.EIO) throw new LinuxException(Errno.ENOTTY);
            throw e;
        }
        int pgrp = arg.readInt();
        if (pgrp < 0) throw new LinuxException(Errno.EINVAL);
        if (c.controllingTerminal() != this || session() != c.session()) throw new LinuxException(Errno.ENOTTY);
        int s = processes.sessionOfGroup(pgrp);
        if (s == 0) throw new LinuxException(Errno.ESRCH);
        if (s != c.session()) throw new LinuxException(Errno.EPERM);
        synchronized (this) {
            foregroundGroup = pgrp;
        }
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }
}
