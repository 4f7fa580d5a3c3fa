package dev.jux.fs.tty;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.Ioctls;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.Termios;
import dev.jux.fs.IoctlArg;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The terminal's job-control rules and ioctls, with fake processes (no guest). */
class TtyTest {
    /** A fake process; it is also the waiter the terminal is called with. */
    static final class Proc implements TtyCaller, Waiter {
        final int pid;
        int pgrp, session;
        boolean blocks, orphaned, root = true;
        Tty ctty;

        Proc(int pid, int pgrp, int session) {
            this.pid = pid;
            this.pgrp = pgrp;
            this.session = session;
        }

        public int pid() { return pid; }
        public int processGroup() { return pgrp; }
        public int session() { return session; }
        public boolean isSessionLeader() { return pid == session; }
        public boolean isPrivileged() { return root; }
        public boolean blocksOrIgnores(int signal) { return blocks; }
        public boolean processGroupOrphaned() { return orphaned; }
        public Tty controllingTerminal() { return ctty; }
        public void setControllingTerminal(Tty tty) { ctty = tty; }

        public Wakeup block(BooleanSupplier ready, long deadline) {
            return ready.getAsBoolean() ? Wakeup.READY : Wakeup.INTERRUPTED;
        }

        public void wake() {}
    }

    final List<String> sent = new ArrayList<>();
    final Map<Integer, Integer> groups = new HashMap<>();   // pgrp -> session
    final List<Proc> procs = new ArrayList<>();
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    final TtyProcesses processes = new TtyProcesses() {
        public TtyCaller caller(Waiter waiter) { return waiter instanceof Proc p ? p : null; }
        public void signalGroup(int pgrp, int signal) { sent.add(Signal.of(signal).name() + "->" + pgrp); }
        public void signalSessionLeader(int session, int signal) { sent.add(Signal.of(signal).name() + "->leader" + session); }
        public int sessionOfGroup(int pgrp) { return groups.getOrDefault(pgrp, 0); }
        public void clearControllingTerminal(int session, Tty tty) {
            for (Proc p : procs) if (p.session == session && p.ctty == tty) p.ctty = null;
        }
    };

    final Tty tty = new Tty("console", 0x501, (b, off, len) -> screen.write(b, off, len), processes);
    final Proc leader = proc(10, 10, 10), job = proc(11, 11, 10), other = proc(20, 20, 20);

    Proc proc(int pid, int pgrp, int session) {
        Proc p = new Proc(pid, pgrp, session);
        procs.add(p);
        groups.putIfAbsent(pgrp, session);
        return p;
    }

    /** An ioctl argument in a little "memory" of its own. */
    static final class Arg implements IoctlArg {
        final long value;
        byte[] data;

        Arg(long value) { this.value = value; }

        static Arg of(int v) {
            Arg a = new Arg(0);
            a.data = new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
            return a;
        }

        static Arg bytes(byte[] b) {
            Arg a = new Arg(0);
            a.data = b;
            return a;
        }

        public long value() { return value; }
        public int readInt() { return (data[0] & 0xff) | (data[1] & 0xff) << 8 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 24; }
        public void writeInt(int v) { data = new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)}; }
        public byte[] read(int length) { return java.util.Arrays.copyOf(data, length); }
        public void write(byte[] bytes) { data = bytes.clone(); }
    }

    int intIoctl(Proc p, int request) {
        Arg a = new Arg(0);
        tty.ioctl(p, request, a, true);
        return a.readInt();
    }

    Errno fails(Runnable r) {
        return assertThrows(LinuxException.class, r::run).errno();
    }

    void controlling() {
        tty.ioctl(leader, Ioctls.TIOCSCTTY, new Arg(0), true);
        job.ctty = tty;
    }

    @Test
    void sessionLeaderOpeningWithoutNocttyGetsItsControllingTerminal() {
        tty.opened(leader, OpenFlags.O_RDWR | OpenFlags.O_NOCTTY, false);
        assertNull(leader.ctty);
        tty.opened(job, OpenFlags.O_RDWR, false);   // not a leader
        assertNull(job.ctty);
        tty.opened(leader, OpenFlags.O_RDWR, false);
        assertSame(tty, leader.ctty);
        assertEquals(10, tty.session());
        assertEquals(10, tty.foregroundGroup());
        tty.opened(other, OpenFlags.O_RDWR, false);   // already some session's
        assertNull(other.ctty);
    }

    @Test
    void tiocscttyRules() {
        assertEquals(Errno.EPERM, fails(() -> tty.ioctl(job, Ioctls.TIOCSCTTY, new Arg(0), true)));
        controlling();
        assertSame(tty, leader.ctty);
        tty.ioctl(leader, Ioctls.TIOCSCTTY, new Arg(0), true);   // again: fine
        assertEquals(Errno.EPERM, fails(() -> tty.ioctl(other, Ioctls.TIOCSCTTY, new Arg(0), true)));
        other.root = false;
        assertEquals(Errno.EPERM, fails(() -> tty.ioctl(other, Ioctls.TIOCSCTTY, new Arg(1), true)));
        other.root = true;
        tty.ioctl(other, Ioctls.TIOCSCTTY, new Arg(1), true);   // root steals it
        assertSame(tty, other.ctty);
        assertNull(leader.ctty);
        assertEquals(20, tty.session());
    }

    @Test
    void foregroundGroupQueriesAndChanges() {
        assertEquals(Errno.ENOTTY, fails(() -> intIoctl(leader, Ioctls.TIOCGPGRP)));
        controlling();
        assertEquals(10, intIoctl(leader, Ioctls.TIOCGPGRP));
        assertEquals(10, intIoctl(job, Ioctls.TIOCGSID));
        tty.ioctl(leader, Ioctls.TIOCSPGRP, Arg.of(11), true);
        assertEquals(11, intIoctl(job, Ioctls.TIOCGPGRP));
        assertEquals(Errno.ESRCH, fails(() -> tty.ioctl(job, Ioctls.TIOCSPGRP, Arg.of(99), true)));
        assertEquals(Errno.EINVAL, fails(() -> tty.ioctl(job, Ioctls.TIOCSPGRP, Arg.of(-1), true)));
        assertEquals(Errno.EPERM, fails(() -> tty.ioctl(job, Ioctls.TIOCSPGRP, Arg.of(20), true)));
        assertEquals(Errno.ENOTTY, fails(() -> tty.ioctl(other, Ioctls.TIOCSPGRP, Arg.of(20), true)));
        assertEquals(Errno.ENOTTY, fails(() -> intIoctl(other, Ioctls.TIOCGSID)));
    }

    @Test
    void tcsetpgrpFromTheBackgroundGetsSigttouUnlessBlocked() {
        controlling();   // group 10 in the foreground, job's group 11 is in the background
        assertEquals(Errno.ERESTARTSYS, fails(() -> tty.ioctl(job, Ioctls.TIOCSPGRP, Arg.of(11), true)));
        assertEquals(List.of("SIGTTOU->11"), sent);
        job.blocks = true;
        tty.ioctl(job, Ioctls.TIOCSPGRP, Arg.of(11), true);
        assertEquals(11, tty.foregroundGroup());
    }

    @Test
    void backgroundReadGetsSigttinOrEio() {
        controlling();
        MemorySegment buf = MemorySegment.ofArray(new byte[8]);
        assertEquals(Errno.ERESTARTSYS, fails(() -> tty.read(job, buf, 0)));
        assertEquals(List.of("SIGTTIN->11"), sent);
        job.blocks = true;
        assertEquals(Errno.EIO, fails(() -> tty.read(job, buf, 0)));
        job.blocks = false;
        job.orphaned = true;
        assertEquals(Errno.EIO, fails(() -> tty.read(job, buf, 0)));
        // A process without this controlling terminal reads like anyone.
        tty.receive("x\n".getBytes(), 0, 2);
        assertEquals(2, tty.read(other, buf, 0));
    }

    @Test
    void backgroundWriteNeedsTostopForSigttou() {
        controlling();
        MemorySegment hi = MemorySegment.ofArray("hi".getBytes());
        assertEquals(2, tty.write(job, hi, 0));
        TermiosState t = tty.lineDiscipline().settings();
        t.lflag |= Termios.TOSTOP;
        tty.ioctl(leader, Ioctls.TCSETS, Arg.bytes(t.encode()), true);
        assertEquals(Errno.ERESTARTSYS, fails(() -> tty.write(job, hi, 0)));
        assertEquals(List.of("SIGTTOU->11"), sent);
        job.blocks = true;   // blocked or ignored SIGTTOU: the write goes ahead
        assertEquals(2, tty.write(job, hi, 0));
        assertEquals(2, tty.write(leader, hi, 0));
        // tcsetattr from the background is a change too.
        job.blocks = false;
        assertEquals(Errno.ERESTARTSYS, fails(() -> tty.ioctl(job, Ioctls.TCSETS, Arg.bytes(t.encode()), true)));
    }

    @Test
    void signalCharactersGoToTheForegroundGroup() {
        tty.receive(new byte[] {3}, 0, 1);
        assertEquals(List.of(), sent);   // no session yet: nobody
        controlling();
        tty.ioctl(leader, Ioctls.TIOCSPGRP, Arg.of(11), true);
        tty.receive(new byte[] {3, 0x1a, 0x1c}, 0, 3);
        assertEquals(List.of("SIGINT->11", "SIGTSTP->11", "SIGQUIT->11"), sent);
    }

    @Test
    void windowSizeChangesSendSigwinch() {
        controlling();
        tty.resize(24, 80, 0, 0);
        assertEquals(List.of("SIGWINCH->10"), sent);
        Arg a = new Arg(0);
        tty.ioctl(leader, Ioctls.TIOCGWINSZ, a, true);
        assertArrayEquals(new byte[] {24, 0, 80, 0, 0, 0, 0, 0}, a.data);
        tty.ioctl(leader, Ioctls.TIOCSWINSZ, Arg.bytes(new byte[] {24, 0, 80, 0, 0, 0, 0, 0}), true);
        assertEquals(1, sent.size());   // unchanged: no signal
        tty.ioctl(leader, Ioctls.TIOCSWINSZ, Arg.bytes(new byte[] {30, 0, 80, 0, 0, 0, 0, 0}), true);
        assertEquals(2, sent.size());
    }

    @Test
    void tiocnottyByTheLeaderHangsUpTheForegroundAndDetachesTheSession() {
        assertEquals(Errno.ENOTTY, fails(() -> tty.ioctl(leader, Ioctls.TIOCNOTTY, new Arg(0), true)));
        controlling();
        tty.ioctl(job, Ioctls.TIOCNOTTY, new Arg(0), true);
        assertNull(job.ctty);
        assertSame(tty, leader.ctty);
        job.ctty = tty;
        tty.ioctl(leader, Ioctls.TIOCNOTTY, new Arg(0), true);
        assertEquals(List.of("SIGHUP->10", "SIGCONT->10"), sent);
        assertNull(leader.ctty);
        assertNull(job.ctty);
        assertEquals(0, tty.session());
    }

    @Test
    void queuesFlushAndFlow() {
        controlling();
        tty.receive("abc\nde".getBytes(), 0, 6);
        assertEquals(4, intIoctl(leader, Ioctls.FIONREAD));
        assertEquals(0, intIoctl(leader, Ioctls.TIOCOUTQ));
        tty.ioctl(leader, Ioctls.TCFLSH, new Arg(Termios.TCIFLUSH), true);
        assertEquals(0, intIoctl(leader, Ioctls.FIONREAD));
        assertEquals(Errno.EINVAL, fails(() -> tty.ioctl(leader, Ioctls.TCFLSH, new Arg(7), true)));
        tty.ioctl(leader, Ioctls.TCXONC, new Arg(Termios.TCOOFF), true);
        assertTrue(tty.lineDiscipline().outputStopped());
        tty.ioctl(leader, Ioctls.TCXONC, new Arg(Termios.TCOON), true);
        assertFalse(tty.lineDiscipline().outputStopped());
        screen.reset();
        tty.ioctl(leader, Ioctls.TCXONC, new Arg(Termios.TCIOFF), true);
        assertEquals("\023", screen.toString());
        assertEquals(Errno.EINVAL, fails(() -> tty.ioctl(leader, Ioctls.TCXONC, new Arg(9), true)));
        assertEquals(Errno.ENOTTY, fails(() -> tty.ioctl(leader, 0x5499, new Arg(0), true)));
    }

    @Test
    void tcsetsfFlushesInputAndTcgetsReadsBack() {
        tty.receive("junk\n".getBytes(), 0, 5);
        TermiosState t = tty.lineDiscipline().settings();
        t.lflag &= ~Termios.ECHO;
        tty.ioctl(leader, Ioctls.TCSETSF, Arg.bytes(t.encode()), true);
        assertEquals(0, tty.lineDiscipline().inputAvailable());
        Arg a = new Arg(0);
        tty.ioctl(leader, Ioctls.TCGETS, a, true);
        assertArrayEquals(t.encode(), a.data);
    }

    @Test
    void hangupSignalsTheSessionAndEndsReads() {
        controlling();
        tty.hangup();
        // tty_vhangup signals the session leader only (exit_session 0): the shell passes SIGHUP on.
        assertEquals(List.of("SIGCONT->leader10", "SIGHUP->leader10"), sent);
        assertNull(leader.ctty);
        assertEquals(0, tty.read(other, MemorySegment.ofArray(new byte[4]), 0));
    }

    @Test
    void sessionLeaderExitHangsUpTheForegroundGroup() {
        controlling();
        tty.ioctl(leader, Ioctls.TIOCSPGRP, Arg.of(11), true);
        tty.sessionLeaderExited(10);
        assertEquals(List.of("SIGHUP->11", "SIGCONT->11"), sent);
        assertNull(job.ctty);
        assertEquals(0, tty.session());
    }
}
