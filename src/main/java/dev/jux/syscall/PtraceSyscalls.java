package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Ptrace;
import dev.jux.kernel.Task;
import dev.jux.kernel.Tracee;
import dev.jux.mm.AddressSpace;
import dev.jux.platform.UserRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.jux.abi.PtraceRequest.*;

/**
 * ptrace(2): decodes the request and moves data between the tracer and a stopped tracee
 * (registers as struct user_regs_struct, memory words, siginfo, syscall info); the link and
 * the stops are kernel/Ptrace and kernel/PtraceStops.
 */
final class PtraceSyscalls {
    private PtraceSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.PTRACE, Support.PARTIAL,
                "TRACEME, ATTACH, SEIZE, INTERRUPT, DETACH, KILL, CONT, SYSCALL, SINGLESTEP, SETOPTIONS, GETEVENTMSG, GET/SETREGS, "
                + "GET/SETFPREGS, GET/SETREGSET (PRSTATUS, PRFPREG, X86_XSTATE), PEEK/POKE TEXT/DATA/USER, GET/SETSIGINFO, GET_SYSCALL_INFO; "
                + "LISTEN, GET/SETSIGMASK; events FORK, VFORK, CLONE, VFORK_DONE, EXEC, EXIT, STOP; not yet: PEEKSIGINFO, debug registers, seccomp events",
                PtraceSyscalls::ptrace);
    }

    /** struct user_regs_struct: 27 longs. */
    static final int REGS_SIZE = 27 * 8;
    /** sizeof(struct user) on x86-64, and offsetof(struct user, u_debugreg). */
    static final int USER_SIZE = 928, DEBUGREG = 848;
    private static final long USER_CS = 0x33, USER_SS = 0x2b, TRAP_FLAG = 0x100;
    /** struct user_fpregs_struct: the FXSAVE area. */
    static final int FPREGS_SIZE = 512;
    /** RFLAGS bits a tracer may change (FLAG_MASK in arch/x86/kernel/ptrace.c). */
    private static final long FLAG_MASK = 0x40000 | 0x800 | 0x400 | 0x200 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1;

    static long ptrace(Task t, Args a) {
        long request = a.a0();
        int pid = a.i(1);
        long addr = a.a2(), data = a.a3();
        if (request == TRACEME) {
            Ptrace.traceMe(t);
            return 0;
        }
        if (request == ATTACH || request == SEIZE) {
            if (request == SEIZE) {
                if (addr != 0) throw new LinuxException(Errno.EIO);
                if ((data & ~(long) O_MASK) != 0) throw new LinuxException(Errno.EIO);
            }
            Ptrace.attach(t, pid, request == SEIZE, request == SEIZE ? (int) data : 0);
            return 0;
        }
        Tracee tr = Ptrace.stoppedTracee(t, pid, request == KILL || request == INTERRUPT);
        AddressSpace mine = t.memory();
        switch ((int) request) {
            case PEEKTEXT, PEEKDATA -> mine.writeLong(data, peek(tr, addr));
            case POKETEXT, POKEDATA -> poke(tr, addr, data);
            case PEEKUSER -> mine.writeLong(data, peekUser(tr, addr));
            case POKEUSER -> pokeUser(tr, addr, data);
            case CONT -> Ptrace.resume(tr, false, (int) data);
            case SYSCALL -> Ptrace.resume(tr, true, (int) data);
            case SINGLESTEP -> Ptrace.resume(tr, false, true, (int) data);
            case GETFPREGS -> mine.write(data, java.util.Arrays.copyOf(tr.extendedState(), FPREGS_SIZE));
            case SETFPREGS -> tr.setExtendedState(mine.read(data, FPREGS_SIZE));
            case SETREGSET -> setRegset(t, tr, addr, data);
            case DETACH -> Ptrace.detach(tr, (int) data);
            case KILL -> Ptrace.kill(tr);
            case INTERRUPT -> Ptrace.interrupt(tr);
            case LISTEN -> Ptrace.listen(tr);
            case GETSIGMASK -> {
                if (addr != 8) throw new LinuxException(Errno.EINVAL);
                mine.writeLong(data, tr.task().signalMask());
            }
            case SETSIGMASK -> {
                if (addr != 8) throw new LinuxException(Errno.EINVAL);
                tr.task().setSignalMask(mine.readLong(data));   // SIGKILL and SIGSTOP stay unblocked
            }
            case SETOPTIONS -> Ptrace.setOptions(tr, data);
            case GETEVENTMSG -> mine.writeLong(data, tr.eventMessage());
            case GETREGS -> mine.write(data, encodeRegs(tr));
            case SETREGS -> decodeRegs(tr, mine.read(data, REGS_SIZE));
            case GETREGSET -> getRegset(t, tr, addr, data);
            case GETSIGINFO -> {
                SigInfo info = tr.siginfo();
                if (info == null) throw new LinuxException(Errno.EINVAL);
                mine.write(data, SigInfoLayout.encode(info));
            }
            case SETSIGINFO -> setSiginfo(tr, mine.read(data, SigInfoLayout.SIZE));
            case GET_SYSCALL_INFO -> {
                return syscallInfo(t, tr, addr, data);
            }
            default -> throw new LinuxException(Errno.EIO);
        }
        return 0;
    }

    /** A word of the tracee's memory; EIO where it has none (ptrace_access_vm copied short). */
    private static long peek(Tracee tr, long addr) {
        try {
            return tr.task().memory().readLong(addr);
        } catch (LinuxException e) {
            throw new LinuxException(Errno.EIO);
        }
    }

    /**
     * A word into the tracee's memory with FOLL_FORCE: read-only private pages (program text,
     * where debuggers put breakpoints) get a copy of their own; a read-only shared mapping is EIO.
     */
    private static void poke(Tracee tr, long addr, long value) {
        AddressSpace m = tr.task().memory();
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        try {
            for (long page = AddressSpace.pageDown(addr); page < addr + 8; page += AddressSpace.PAGE) {
                var v = m.findVma(page);
                if (v == null || ((v.flags() & dev.jux.mm.Vma.SHARED) != 0 && (v.prot() & dev.jux.mm.Vma.WRITE) == 0)) {
                    throw new LinuxException(Errno.EIO);
                }
            }
            m.load(addr, b, 0, 8);
        } catch (LinuxException e) {
            throw new LinuxException(Errno.EIO);
        }
    }

    /** PEEKUSER: the registers part of struct user, the debug registers (all 0), else 0; EIO when misaligned or past it. */
    private static long peekUser(Tracee tr, long offset) {
        if ((offset & 7) != 0 || offset < 0 || offset >= USER_SIZE) throw new LinuxException(Errno.EIO);
        if (offset < REGS_SIZE) return regs(tr)[(int) (offset / 8)];
        return 0;
    }

    private static void pokeUser(Tracee tr, long offset, long value) {
        if ((offset & 7) != 0 || offset < 0 || offset >= USER_SIZE) throw new LinuxException(Errno.EIO);
        if (offset < REGS_SIZE) {
            long[] r = regs(tr);
            r[(int) (offset / 8)] = value;
            setRegs(tr, r);
        } else if (offset >= DEBUGREG && offset < DEBUGREG + 64) {
            // No hardware breakpoints: clearing a debug register is accepted, setting one is not.
            if (value != 0) throw new LinuxException(Errno.EIO);
        }
    }

    /** struct user_regs_struct in order: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs. */
    private static long[] regs(Tracee tr) {
        UserRegisters r = tr.task().registers();
        long orig = tr.task().signals().syscallNumber();
        return new long[] {r.r15, r.r14, r.r13, r.r12, r.rbp, r.rbx, r.r11, r.r10, r.r9, r.r8, r.rax, r.rcx, r.rdx, r.rsi, r.rdi,
            orig, r.rip, USER_CS, tr.stepping() ? r.rflags & ~TRAP_FLAG : r.rflags, r.rsp, USER_SS, r.fsBase, r.gsBase, 0, 0, 0, 0};
    }

    /** putreg's rules: segment selectors stay, only FLAG_MASK bits of RFLAGS change, bases must be user addresses. */
    private static void setRegs(Tracee tr, long[] v) {
        if (Long.compareUnsigned(v[21], AddressSpace.TASK_SIZE) >= 0 || Long.compareUnsigned(v[22], AddressSpace.TASK_SIZE) >= 0) {
            throw new LinuxException(Errno.EIO);
        }
        UserRegisters r = tr.task().registers();
        r.r15 = v[0]; r.r14 = v[1]; r.r13 = v[2]; r.r12 = v[3]; r.rbp = v[4]; r.rbx = v[5]; r.r11 = v[6]; r.r10 = v[7];
        r.r9 = v[8]; r.r8 = v[9]; r.rax = v[10]; r.rcx = v[11]; r.rdx = v[12]; r.rsi = v[13]; r.rdi = v[14];
        tr.task().signals().setSyscallNumber(v[15]);
        r.rip = v[16];
        r.rflags = (r.rflags & ~FLAG_MASK) | (v[18] & FLAG_MASK) | (tr.stepping() ? TRAP_FLAG : 0);
        r.rsp = v[19];
        r.fsBase = v[21];
        r.gsBase = v[22];
    }

    private static byte[] encodeRegs(Tracee tr) {
        ByteBuffer b = ByteBuffer.allocate(REGS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : regs(tr)) b.putLong(v);
        return b.array();
    }

    private static void decodeRegs(Tracee tr, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] v = new long[27];
        for (int i = 0; i < v.length; i++) v[i] = b.getLong();
        setRegs(tr, v);
    }

    /**
     * PTRACE_GETREGSET with a struct iovec at {@code iov}: NT_PRSTATUS (user_regs_struct),
     * NT_PRFPREG (the FXSAVE area), NT_X86_XSTATE (the XSAVE image); iov_len becomes the size copied.
     */
    private static void getRegset(Task t, Tracee tr, long type, long iov) {
        AddressSpace mine = t.memory();
        long base = mine.readLong(iov), len = mine.readLong(iov + 8);
        byte[] set = switch ((int) type) {
            case NT_PRSTATUS -> encodeRegs(tr);
            case NT_PRFPREG -> java.util.Arrays.copyOf(tr.extendedState(), FPREGS_SIZE);
            case NT_X86_XSTATE -> tr.extendedState();
            default -> throw new LinuxException(Errno.EINVAL);
        };
        int n = (int) Math.min(Math.max(len, 0), set.length);
        mine.write(base, set, 0, n);
        mine.writeLong(iov + 8, n);
    }

    /** PTRACE_SETREGSET: the same sets, whole (Linux requires the full size for NT_PRFPREG and NT_X86_XSTATE). */
    private static void setRegset(Task t, Tracee tr, long type, long iov) {
        AddressSpace mine = t.memory();
        long base = mine.readLong(iov), len = mine.readLong(iov + 8);
        switch ((int) type) {
            case NT_PRSTATUS -> {
                if (len < REGS_SIZE) throw new LinuxException(Errno.EINVAL);
                decodeRegs(tr, mine.read(base, REGS_SIZE));
            }
            case NT_PRFPREG -> {
                if (len < FPREGS_SIZE) throw new LinuxException(Errno.EINVAL);
                tr.setExtendedState(mine.read(base, FPREGS_SIZE));
            }
            case NT_X86_XSTATE -> {
                int size = tr.extendedState().length;
                if (len < size) throw new LinuxException(Errno.EINVAL);
                tr.setExtendedState(mine.read(base, size));
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    /** PTRACE_SETSIGINFO: the signal the tracee gets when resumed from this signal-delivery-stop. */
    private static void setSiginfo(Tracee tr, byte[] bytes) {
        if (tr.siginfo() == null) throw new LinuxException(Errno.EINVAL);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Signal s = Signal.of(b.getInt(SigInfoLayout.SIGNO));
        if (s == null) return;
        dev.jux.kernel.PtraceStops.setSiginfo(tr, new SigInfo.Queue(s, b.getInt(SigInfoLayout.CODE), b.getInt(SigInfoLayout.PID),
                b.getInt(SigInfoLayout.UID), b.getLong(SigInfoLayout.VALUE)));
    }

    /**
     * PTRACE_GET_SYSCALL_INFO: struct ptrace_syscall_info for the current stop (op, arch, ip, sp,
     * then the entry's number and arguments or the exit's value); copies at most {@code size}
     * bytes and returns the full size.
     */
    private static long syscallInfo(Task t, Tracee tr, long size, long data) {
        UserRegisters r = tr.task().registers();
        int op = tr.syscallOp();
        ByteBuffer b = ByteBuffer.allocate(88).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) op).put((byte) 0).putShort((short) 0).putInt(AUDIT_ARCH_X86_64).putLong(r.rip).putLong(r.rsp);
        int full = 24;
        if (op == SYSCALL_INFO_ENTRY) {
            b.putLong(tr.task().signals().syscallNumber());
            for (int i = 0; i < 6; i++) b.putLong(r.arg(i));
            full = 24 + 8 + 48;
        } else if (op == SYSCALL_INFO_EXIT) {
            b.putLong(r.rax).put((byte) (Errno.isError(r.rax) ? 1 : 0));
            full = 24 + 9;
        }
        int n = (int) Math.min(Math.max(size, 0), full);
        if (n > 0) t.memory().write(data, b.array(), 0, n);
        return full;
    }
}
