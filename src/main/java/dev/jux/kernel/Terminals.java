package dev.jux.kernel;

import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import dev.jux.fs.devfs.DevPts;
import dev.jux.fs.tty.Pty;
import dev.jux.fs.tty.PtyMaster;
import dev.jux.fs.tty.Tty;
import dev.jux.fs.tty.TtyFile;
import dev.jux.fs.tty.TtyCaller;
import dev.jux.fs.tty.TtyProcesses;
import dev.jux.wait.Waiter;
import java.util.List;

/**
 * The process side of terminals (fs/tty's {@link TtyProcesses}): a controlling terminal per
 * process (Linux's signal->tty, inherited by fork, dropped by setsid), the console, and the
 * signals a terminal sends to process groups. Terminal signals come from the kernel
 * (SI_KERNEL, as kill_pgrp with SEND_SIG_PRIV).
 */
public final class Terminals implements TtyProcesses {
    private final Kernel kernel;
    private volatile Tty console;

    Terminals(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The console (/dev/console, 5:1), or null when Jux's stdin is no terminal. */
    public Tty console() {
        return console;
    }

    /** jux run's console: it becomes pid 1's controlling terminal when pid 1 starts. */
    public void setConsole(Tty tty) {
        console = tty;
    }

    /** pid 1 is a session leader; with a console, the console is its controlling terminal (as a container runtime's -t). */
    void initStarted(ThreadGroup init) {
        Tty c = console;
        if (c != null) c.attach(new Caller(init, null));
    }

    /** A session leader is exiting: its terminal hangs up the session (disassociate_ctty(1)). */
    void exiting(ThreadGroup g) {
        Tty tty = g.links.controllingTty;
        if (tty != null && g.session() == g.pid()) tty.sessionLeaderExited(g.session());
    }

    /**
     * open(2) of a terminal node: /dev/tty is the caller's controlling terminal (ENXIO without
     * one), /dev/console the console (ENXIO without one). Neither makes a controlling terminal
     * (tty_open's noctty for 5:0 and 5:1); other terminals do, unless O_NOCTTY. /dev/ptmx makes
     * a new pseudo-terminal in the devpts beside it (ENODEV without one) and returns its master;
     * a /dev/pts/N node opens that pair's slave (EIO while it is locked or its master is gone).
     */
    public dev.jux.fs.File open(Task task, dev.jux.fs.vfs.VfsFile node, int openFlags) {
        long rdev = node.inode().stat().rdev();
        if (rdev == dev.jux.fs.devfs.CharDevices.PTMX) return openMaster(task, node.location(), node.statusFlags());
        if (dev.jux.abi.DeviceNumber.major(rdev) == Pty.SLAVE_MAJOR) {
            Pty pty = node.location().mount().fileSystem() instanceof DevPts d ? d.pty(rdev) : null;
            if (pty == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EIO, "no such pseudo-terminal");
            return openSlave(task, pty, node.location(), openFlags, node.statusFlags());
        }
        Tty tty;
        if (rdev == dev.jux.fs.devfs.CharDevices.TTY) tty = controllingTerminal(task);
        else if (rdev == dev.jux.fs.devfs.CharDevices.CONSOLE) tty = console;
        else tty = null;
        if (tty == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ENXIO, "no such terminal");
        tty.opened(task, openFlags, true);
        return new dev.jux.fs.tty.TtyFile(tty, node.location(), node.statusFlags());
    }

    private dev.jux.fs.File openMaster(Task task, dev.jux.fs.vfs.Location ptmx, int fileFlags) {
        DevPts devpts = DevPts.beside(ptmx);
        if (devpts == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ENODEV, "no devpts beside ptmx");
        Pty pty = devpts.openMaster(this, task.group().credentials().fsuid());
        return new PtyMaster(pty, ptmx, fileFlags);
    }

    private dev.jux.fs.File openSlave(Task task, Pty pty, dev.jux.fs.vfs.Location at, int openFlags, int fileFlags) {
        pty.checkSlaveOpen();
        TtyFile f = new TtyFile(pty.slave(), at, fileFlags);
        pty.slave().opened(task, openFlags, false);
        return f;
    }

    /**
     * TIOCGPTPEER (ptm_open_peer): opens the slave of {@code master}'s pair at its devpts node,
     * with {@code flags} (O_ACCMODE, O_NOCTTY, O_NONBLOCK, O_CLOEXEC matter).
     */
    public dev.jux.fs.File openPeer(Task task, PtyMaster master, int flags) {
        Pty pty = master.pty();
        dev.jux.fs.vfs.Location ptmx = master.location();
        DevPts devpts = ptmx == null ? null : DevPts.beside(ptmx);
        dev.jux.fs.vfs.Location at = devpts == null ? null : devpts.slaveLocation(pty);
        if (at == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EIO);
        int fileFlags = flags & (dev.jux.abi.OpenFlags.O_ACCMODE | dev.jux.abi.OpenFlags.O_NONBLOCK
                | dev.jux.abi.OpenFlags.O_APPEND | dev.jux.abi.OpenFlags.O_LARGEFILE);
        return openSlave(task, pty, at, flags, fileFlags | dev.jux.abi.OpenFlags.O_LARGEFILE);
    }

    /** The controlling terminal of {@code task}'s process, or null. */
    public static Tty controllingTerminal(Task task) {
        return task.group().links.controllingTty;
    }

    @Override
    public TtyCaller caller(Waiter waiter) {
        return waiter instanceof Task t ? new Caller(t.group(), t) : null;
    }

    @Override
    public void signalGroup(int pgrp, int signal) {
        SigInfo info = new SigInfo.Kill(Signal.of(signal), SigCode.SI_KERNEL, 0, 0);
        synchronized (kernel.treeLock()) {
            for (ThreadGroup p : SignalSender.groupMembers(kernel, pgrp)) SignalSender.toProcess(p, info);
        }
    }

    @Override
    public void signalSessionLeader(int session, int signal) {
        ThreadGroup leader = kernel.process(session);
        if (leader != null && leader.session() == session) {
            SignalSender.toProcess(leader, new SigInfo.Kill(Signal.of(signal), SigCode.SI_KERNEL, 0, 0));
        }
    }

    @Override
    public int sessionOfGroup(int pgrp) {
        synchronized (kernel.treeLock()) {
            for (ThreadGroup p : SignalSender.groupMembers(kernel, pgrp)) if (!p.isZombie()) return p.session();
        }
        return 0;
    }

    @Override
    public void clearControllingTerminal(int session, Tty tty) {
        synchronized (kernel.treeLock()) {
            for (ThreadGroup p : kernel.processes()) {
                if (p.session() == session && p.links.controllingTty == tty) p.links.controllingTty = null;
            }
        }
    }

    /**
     * Linux's will_become_orphaned_pgrp: a group is orphaned when no live member has a parent
     * in another group of the same session. Unlike Linux, a parent that is pid 1 counts (Jux's
     * pid 1 is a namespace's init, like a container's shell, not the global init).
     */
    static boolean orphaned(Kernel kernel, int pgrp) {
        synchronized (kernel.treeLock()) {
            List<ThreadGroup> members = SignalSender.groupMembers(kernel, pgrp);
            for (ThreadGroup p : members) {
                if (p.isZombie()) continue;
                ThreadGroup parent = p.links.parent;
                if (parent != null && parent.processGroup() != pgrp && parent.session() == p.session()) return false;
            }
            return true;
        }
    }

    /** A process (and, for masks, the calling task) as a terminal sees it. */
    private record Caller(ThreadGroup group, Task task) implements TtyCaller {
        public int pid() { return group.pid(); }
        public int processGroup() { return group.processGroup(); }
        public int session() { return group.session(); }
        public boolean isSessionLeader() { return group.session() == group.pid(); }
        public boolean isPrivileged() { return group.credentials().euid() == 0; }

        public boolean blocksOrIgnores(int signal) {
            if (task != null && SignalSet.contains(task.signalMask(), signal)) return true;
            return group.action(signal).isIgnore();
        }

        public boolean processGroupOrphaned() { return orphaned(group.kernel(), group.processGroup()); }
        public Tty controllingTerminal() { return group.links.controllingTty; }
        public void setControllingTerminal(Tty tty) { group.links.controllingTty = tty; }
    }
}
