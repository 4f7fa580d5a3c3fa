package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;

/**
 * The mlock family: mlock, mlock2, munlock, mlockall, munlockall. Locked areas are accounted
 * per address space ({@link AddressSpace#lockedBytes}) against RLIMIT_MEMLOCK, with Linux's
 * rules for a process without CAP_IPC_LOCK (here: euid not 0): EPERM if the limit is 0,
 * ENOMEM past it. Jux never swaps, so locking only fills the pages in.
 */
final class MemoryLockSyscalls {
    private MemoryLockSyscalls() {}

    static final int MLOCK_ONFAULT = 1;
    static final int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.MLOCK, Support.FULL, "accounted against RLIMIT_MEMLOCK; fills the pages in (Jux never swaps)", MemoryLockSyscalls::mlock);
        t.add(SyscallNumbers.MLOCK2, Support.FULL, "MLOCK_ONFAULT", MemoryLockSyscalls::mlock2);
        t.add(SyscallNumbers.MUNLOCK, Support.FULL, "", MemoryLockSyscalls::munlock);
        t.add(SyscallNumbers.MLOCKALL, Support.FULL, "MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT", MemoryLockSyscalls::mlockall);
        t.add(SyscallNumbers.MUNLOCKALL, Support.FULL, "", MemoryLockSyscalls::munlockall);
    }

    static long mlock(Task t, Args a) {
        return lock(t, a.a0(), a.a1(), Vma.LOCKED);
    }

    static long mlock2(Task t, Args a) {
        int flags = a.i(2);
        if ((flags & ~MLOCK_ONFAULT) != 0) throw new LinuxException(Errno.EINVAL);
        return lock(t, a.a0(), a.a1(), Vma.LOCKED | ((flags & MLOCK_ONFAULT) != 0 ? Vma.LOCK_ON_FAULT : 0));
    }

    /** do_mlock: the range is widened to whole pages; the limit counts pages not locked yet. */
    private static long lock(Task t, long addr, long len, int flags) {
        if (!canLock(t)) throw new LinuxException(Errno.EPERM);
        long start = AddressSpace.pageDown(addr);
        long length = AddressSpace.pageUp(len + (addr - start));
        if (Long.compareUnsigned(start + length, start) < 0) throw new LinuxException(Errno.EINVAL);
        if (length == 0) return 0;
        AddressSpace mem = t.memory();
        if (!privileged(t)) {
            long limit = t.group().limits().soft(Rlimit.RLIMIT_MEMLOCK) & -AddressSpace.PAGE;
            long locked = mem.lockedBytes() + length - mem.lockedBytesIn(start, length);
            if (Long.compareUnsigned(locked, limit) > 0) throw new LinuxException(Errno.ENOMEM);
        }
        mem.lock(start, length, flags);
        return 0;
    }

    static long munlock(Task t, Args a) {
        long addr = a.a0(), start = AddressSpace.pageDown(addr);
        long length = AddressSpace.pageUp(a.a1() + (addr - start));
        if (Long.compareUnsigned(start + length, start) < 0) throw new LinuxException(Errno.EINVAL);
        if (length == 0) return 0;
        t.memory().lock(start, length, 0);
        return 0;
    }

    static long mlockall(Task t, Args a) {
        int flags = a.i(0);
        if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            throw new LinuxException(Errno.EINVAL);
        }
        if (!canLock(t)) throw new LinuxException(Errno.EPERM);
        AddressSpace mem = t.memory();
        boolean current = (flags & MCL_CURRENT) != 0;
        if (current && !privileged(t)) {
            long limit = t.group().limits().soft(Rlimit.RLIMIT_MEMLOCK) & -AddressSpace.PAGE;
            if (Long.compareUnsigned(mem.mappedBytes(), limit) > 0) throw new LinuxException(Errno.ENOMEM);
        }
        int lockFlags = Vma.LOCKED | ((flags & MCL_ONFAULT) != 0 ? Vma.LOCK_ON_FAULT : 0);
        mem.lockAll(current, lockFlags, (flags & MCL_FUTURE) != 0 ? lockFlags : 0);
        return 0;
    }

    static long munlockall(Task t, Args a) {
        t.memory().lockAll(true, 0, 0);
        return 0;
    }

    /** can_do_mlock: CAP_IPC_LOCK, or a RLIMIT_MEMLOCK above 0. */
    private static boolean canLock(Task t) {
        return privileged(t) || t.group().limits().soft(Rlimit.RLIMIT_MEMLOCK) != 0;
    }

    /** CAP_IPC_LOCK: every capability is effective exactly when euid is 0 (see Credentials). */
    static boolean privileged(Task t) {
        return t.group().credentials().isRoot();
    }

    /**
     * mlock_future_ok, for mmap with MAP_LOCKED or after mlockall(MCL_FUTURE): EAGAIN if the
     * new locked bytes would pass RLIMIT_MEMLOCK.
     */
    static void checkFutureLock(Task t, long bytes) {
        if (privileged(t)) return;
        long limit = t.group().limits().soft(Rlimit.RLIMIT_MEMLOCK) & -AddressSpace.PAGE;
        if (Long.compareUnsigned(t.memory().lockedBytes() + bytes, limit) > 0) throw new LinuxException(Errno.EAGAIN);
    }
}
