package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Clone;
import dev.jux.kernel.Task;

import static dev.jux.abi.CloneFlags.*;

/** fork, vfork, clone and clone3: new processes (kernel/Clone) and threads (kernel/ThreadClone). */
final class ForkSyscalls {
    private ForkSyscalls() {}

    /** struct clone_args: the first version is 64 bytes, the current one (with cgroup) 88. */
    static final int CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88, PAGE = 4096;
    static final long CSIGNAL = 0xff;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.FORK, Support.FULL, "", (task, a) -> Clone.clone(task, Clone.Request.fork()));
        t.add(SyscallNumbers.VFORK, Support.FULL, "", (task, a) -> Clone.clone(task, Clone.Request.vfork()));
        t.add(SyscallNumbers.CLONE, Support.PARTIAL,
                "processes and threads (CLONE_THREAD needs CLONE_SIGHAND|CLONE_VM|CLONE_FILES|CLONE_FS, as pthread_create passes);"
                        + " CLONE_SIGHAND without CLONE_THREAD and CLONE_PIDFD with CLONE_THREAD are EINVAL; CLONE_NEWUTS makes a UTS namespace,"
                        + " the other namespaces are EPERM without CAP_SYS_ADMIN, else EINVAL (as a Linux built without them)",
                ForkSyscalls::clone);
        t.add(SyscallNumbers.UNSHARE, Support.PARTIAL,
                "CLONE_FILES, CLONE_FS, CLONE_SYSVSEM (applies the SEM_UNDO adjustments; not for one thread of several), CLONE_NEWUTS; CLONE_THREAD/SIGHAND/VM"
                        + " when there is nothing to unshare; other namespaces EPERM without CAP_SYS_ADMIN, else EINVAL;"
                        + " CLONE_NEWUSER EINVAL; CLONE_FILES/CLONE_FS by one thread of several EINVAL",
                (task, a) -> {
                    dev.jux.kernel.Unshare.unshare(task, a.a0());
                    return 0;
                });
        t.add(SyscallNumbers.CLONE3, Support.PARTIAL,
                "as clone, plus CLONE_CLEAR_SIGHAND and the pidfd field; set_tid and CLONE_INTO_CGROUP are EINVAL",
                ForkSyscalls::clone3);
    }

    /** Implements clone(2): x86-64 passes flags, stack, parent_tid, child_tid, tls. Only the low 32 bits of flags count. */
    static long clone(Task t, Args a) {
        long flags = a.a0() & 0xffffffffL;
        return Clone.clone(t, new Clone.Request(flags & ~CSIGNAL, (int) (flags & CSIGNAL), a.a1(), a.a2(), a.a3(), a.a4(), a.a2()));
    }

    /** Implements clone3(2) from struct clone_args (Linux's copy_clone_args_from_user and clone3_args_valid). */
    static long clone3(Task t, Args a) {
        long size = a.a1();
        if (size < CLONE_ARGS_SIZE_VER0) throw new LinuxException(Errno.EINVAL);
        if (size > PAGE) throw new LinuxException(Errno.E2BIG);
        byte[] raw = t.memory().read(a.a0(), (int) size);
        // A newer struct is fine as long as the fields this kernel does not know are zero.
        for (int i = CLONE_ARGS_SIZE_VER2; i < raw.length; i++) if (raw[i] != 0) throw new LinuxException(Errno.E2BIG);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(raw, CLONE_ARGS_SIZE_VER2)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0), pidfd = b.getLong(8), childTid = b.getLong(16), parentTid = b.getLong(24), exitSignal = b.getLong(32);
        long stack = b.getLong(40), stackSize = b.getLong(48), tls = b.getLong(56), setTidSize = b.getLong(72);
        if ((exitSignal & ~CSIGNAL) != 0 || exitSignal > 64) throw new LinuxException(Errno.EINVAL);
        if ((flags & ~(0xffffffffL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) == (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) throw new LinuxException(Errno.EINVAL);
        if ((flags & (CLONE_THREAD | CLONE_PARENT)) != 0 && exitSignal != 0) throw new LinuxException(Errno.EINVAL);
        if (stack == 0 ? stackSize != 0 : stackSize == 0) throw new LinuxException(Errno.EINVAL);
        if (setTidSize != 0) throw new LinuxException(Errno.EINVAL, "clone3 set_tid is not supported");
        long top = stack == 0 ? 0 : stack + stackSize;
        return Clone.clone(t, new Clone.Request(flags & ~CSIGNAL, (int) exitSignal, top, parentTid, childTid, tls, pidfd));
    }
}
