package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SigSet;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.FdTable;
import dev.jux.fs.File;
import dev.jux.kernel.Personas;
import dev.jux.kernel.Task;
import dev.jux.wait.PollTable;
import dev.jux.wait.ReadinessWait;
import dev.jux.wait.Waiter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * poll, ppoll, select and pselect6 (fs/select.c): every fd's File.poll, then a
 * {@link ReadinessWait} until one is ready, the timeout passes or a signal comes.
 */
final class PollSyscalls {
    private PollSyscalls() {}

    static final long NANOS = 1_000_000_000L;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.POLL, Support.FULL, "host streams are polled every 10 ms while waiting", PollSyscalls::poll);
        t.add(SyscallNumbers.PPOLL, Support.PARTIAL, SIGMASK_NOTE, PollSyscalls::ppoll);
        t.add(SyscallNumbers.SELECT, Support.FULL, "host streams are polled every 10 ms while waiting", PollSyscalls::select);
        t.add(SyscallNumbers.PSELECT6, Support.PARTIAL, SIGMASK_NOTE, PollSyscalls::pselect6);
    }

    static final String SIGMASK_NOTE = "the signal mask is restored when the call returns, also when a signal "
            + "interrupted it (Linux keeps it until the handler ran)";

    // ---- poll ----

    /** Implements poll(2): timeout in ms, negative for none; a signal gives ERESTART_RESTARTBLOCK. */
    static long poll(Task t, Args a) {
        int timeout = a.i(2);
        long deadline = timeout < 0 ? Waiter.FOREVER : System.nanoTime() + timeout * 1_000_000L;
        long r = doPoll(t, a.a0(), a.a1(), deadline);
        if (r == -Errno.ERESTARTNOHAND.number()) throw new LinuxException(Errno.ERESTART_RESTARTBLOCK);
        return r;
    }

    /** Implements ppoll(2): a timespec (NULL: none), written back with the time left, and a signal mask for the wait. */
    static long ppoll(Task t, Args a) {
        long tsp = a.a2();
        long timeout = tsp == 0 ? -1 : TimeSyscalls.readTimespec(t, tsp);
        long deadline = timeout < 0 ? Waiter.FOREVER : deadline(timeout);
        Long mask = readMask(t, a.a3(), a.a4());
        long r = t.withTemporaryMask(mask, () -> doPoll(t, a.a0(), a.a1(), deadline));
        return finish(t, tsp, deadline, timeout == 0, r, false);
    }

    /** do_sys_poll: returns the count, or -ERESTARTNOHAND if a signal came first. */
    private static long doPoll(Task t, long fdsAddr, long nfdsArg, long deadline) {
        long nfds = nfdsArg & 0xffffffffL;
        if (nfds > t.group().limits().soft(Rlimit.RLIMIT_NOFILE)) throw new LinuxException(Errno.EINVAL);
        ByteBuffer fds = ByteBuffer.wrap(t.memory().read(fdsAddr, (int) (nfds * 8))).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) nfds;
        short[] revents = new short[n];
        FdTable table = t.group().files();
        int count = ReadinessWait.await(t, pt -> {
            int ready = 0;
            for (int i = 0; i < n; i++) {
                int fd = fds.getInt(i * 8);
                int events = fds.getShort(i * 8 + 4) & 0xffff;
                int got = 0;
                if (fd >= 0) {
                    File f = fileOrNull(table, fd);
                    got = f == null ? Poll.POLLNVAL : f.poll(pt) & (events | Poll.POLLERR | Poll.POLLHUP);
                }
                revents[i] = (short) got;
                if (got != 0) ready++;
            }
            return ready;
        }, deadline);
        if (count == ReadinessWait.INTERRUPTED) return -Errno.ERESTARTNOHAND.number();
        for (int i = 0; i < n; i++) t.memory().write(fdsAddr + i * 8L + 6, new byte[] {(byte) revents[i], (byte) (revents[i] >> 8)});
        return count;
    }

    // ---- select ----

    /** Implements select(2): the timeval is written back with the time left, as Linux does. */
    static long select(Task t, Args a) {
        long tvp = a.a4();
        long deadline = Waiter.FOREVER, timeout = -1;
        if (tvp != 0) {
            long sec = t.memory().readLong(tvp), usec = t.memory().readLong(tvp + 8);
            // kern_select folds whole seconds out of tv_usec before checking the timespec.
            long nsec = (usec % 1_000_000L) * 1000L;
            sec += usec / 1_000_000L;
            if (sec < 0 || nsec < 0) throw new LinuxException(Errno.EINVAL);
            timeout = sec > Long.MAX_VALUE / NANOS - 1 ? Long.MAX_VALUE : sec * NANOS + nsec;
            deadline = deadline(timeout);
        }
        long r = doSelect(t, a.i(0), a.a1(), a.a2(), a.a3(), deadline);
        return finish(t, tvp, deadline, timeout == 0, r, true);
    }

    /** Implements pselect6(2): the 6th argument points at {const sigset_t *ss; size_t ss_len}. */
    static long pselect6(Task t, Args a) {
        long sigAddr = a.a5(), setAddr = 0, setSize = 0;
        if (sigAddr != 0) {
            setAddr = t.memory().readLong(sigAddr);
            setSize = t.memory().readLong(sigAddr + 8);
        }
        long tsp = a.a4();
        long timeout = tsp == 0 ? -1 : TimeSyscalls.readTimespec(t, tsp);
        long deadline = timeout < 0 ? Waiter.FOREVER : deadline(timeout);
        Long mask = readMask(t, setAddr, setSize);
        long r = t.withTemporaryMask(mask, () -> doSelect(t, a.i(0), a.a1(), a.a2(), a.a3(), deadline));
        return finish(t, tsp, deadline, timeout == 0, r, false);
    }

    /** core_sys_select: returns the count of set bits, or -ERESTARTNOHAND if a signal came first. */
    private static long doSelect(Task t, int nfds, long inAddr, long outAddr, long exAddr, long deadline) {
        if (nfds < 0) throw new LinuxException(Errno.EINVAL);
        FdTable table = t.group().files();
        int n = Math.min(nfds, maxFds(table));
        int words = (n + 63) / 64;
        long[] in = readSet(t, inAddr, words), out = readSet(t, outAddr, words), ex = readSet(t, exAddr, words);
        // max_select_fd: every fd named in any set must be open (an O_PATH one counts, and is then skipped).
        for (int fd = 0; fd < n; fd++) {
            if (isSet(in, fd) || isSet(out, fd) || isSet(ex, fd)) table.get(fd);
        }
        long[] rin = new long[words], rout = new long[words], rex = new long[words];
        int count = ReadinessWait.await(t, pt -> {
            java.util.Arrays.fill(rin, 0);
            java.util.Arrays.fill(rout, 0);
            java.util.Arrays.fill(rex, 0);
            int ready = 0;
            for (int fd = 0; fd < n; fd++) {
                boolean wantIn = isSet(in, fd), wantOut = isSet(out, fd), wantEx = isSet(ex, fd);
                if (!wantIn && !wantOut && !wantEx) continue;
                File f = fileOrNull(table, fd);
                // An O_PATH fd (or one closed meanwhile) polls as POLLNVAL, which Linux 6.x
                // counts in every set: select reports it ready for everything asked.
                int mask = f == null ? Poll.POLLNVAL : f.poll(pt);
                if (wantIn && (mask & Poll.SELECT_IN) != 0) { set(rin, fd); ready++; }
                if (wantOut && (mask & Poll.SELECT_OUT) != 0) { set(rout, fd); ready++; }
                if (wantEx && (mask & Poll.SELECT_EX) != 0) { set(rex, fd); ready++; }
            }
            return ready;
        }, deadline);
        if (count == ReadinessWait.INTERRUPTED) return -Errno.ERESTARTNOHAND.number();
        writeSet(t, inAddr, rin);
        writeSet(t, outAddr, rout);
        writeSet(t, exAddr, rex);
        return count;
    }

    private static long[] readSet(Task t, long addr, int words) {
        if (addr == 0) return null;
        ByteBuffer b = ByteBuffer.wrap(t.memory().read(addr, words * 8)).order(ByteOrder.LITTLE_ENDIAN);
        long[] set = new long[words];
        for (int i = 0; i < words; i++) set[i] = b.getLong(i * 8);
        return set;
    }

    private static void writeSet(Task t, long addr, long[] set) {
        if (addr == 0 || set.length == 0) return;
        ByteBuffer b = ByteBuffer.allocate(set.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : set) b.putLong(w);
        t.memory().write(addr, b.array());
    }

    private static boolean isSet(long[] set, int fd) {
        return set != null && (set[fd >>> 6] & (1L << (fd & 63))) != 0;
    }

    private static void set(long[] set, int fd) {
        set[fd >>> 6] |= 1L << (fd & 63);
    }

    // ---- shared ----

    /** set_user_sigmask: null for a NULL set ("keep the mask"); EINVAL unless the size is 8. */
    static Long readMask(Task t, long addr, long size) {
        if (addr == 0) return null;
        if (size != SigSet.SIZE) throw new LinuxException(Errno.EINVAL);
        return t.memory().readLong(addr);
    }

    /** The System.nanoTime deadline of a timeout (0: now, so one scan and no wait). */
    private static long deadline(long timeoutNanos) {
        long now = System.nanoTime();
        return timeoutNanos >= Waiter.FOREVER - 1 - now ? Waiter.FOREVER - 1 : now + timeoutNanos;
    }

    /**
     * poll_select_finish: a non-zero timeout is written back with the time left (timeval or
     * timespec); if that write faults, an ERESTARTNOHAND becomes a plain EINTR, any other
     * result stands. The STICKY_TIMEOUTS personality leaves the timeout as given.
     */
    private static long finish(Task t, long addr, long deadline, boolean zeroTimeout, long result, boolean timeval) {
        if (addr != 0 && !zeroTimeout && !Personas.stickyTimeouts(t)) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                t.memory().writeLong(addr, left / NANOS);
                t.memory().writeLong(addr + 8, timeval ? left % NANOS / 1000 : left % NANOS);
            } catch (LinuxException e) {
                if (result == -Errno.ERESTARTNOHAND.number()) throw new LinuxException(Errno.EINTR);
            }
        }
        if (result < 0) throw new LinuxException(Errno.of((int) -result));
        return result;
    }

    /**
     * Linux clamps select's nfds to the fd table's size (fdt->max_fds: 64 for a small
     * process, grown in steps); Jux uses the highest open fd rounded up to 64.
     */
    private static int maxFds(FdTable table) {
        var open = table.snapshot();
        int highest = open.isEmpty() ? 0 : open.lastKey() + 1;
        return Math.max(64, (highest + 63) & ~63);
    }

    /** The file of {@code fd}, or null if it is not open or is an O_PATH descriptor (fdget skips those). */
    static File fileOrNull(FdTable table, int fd) {
        try {
            File f = table.get(fd);
            return f.isPathOnly() ? null : f;
        } catch (LinuxException e) {
            return null;
        }
    }
}
