package dev.jux.syscall;

import static dev.jux.syscall.SysvIpcSyscalls.putInt;
import static dev.jux.syscall.SysvIpcSyscalls.putLong;
import static dev.jux.syscall.SysvIpcSyscalls.putPerm;
import static dev.jux.syscall.SysvIpcSyscalls.getInt;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.abi.SyscallNumbers;
import dev.jux.ipc.IpcPerm;
import dev.jux.ipc.SharedMemory;
import dev.jux.ipc.ShmSegment;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.UserMemory;
import dev.jux.mm.Vma;

/**
 * System V shared memory calls (ipc/shm.c's x86-64 entries): shmat's address and flag rules
 * (do_shmat), shmdt, and the x86-64 layouts of shmid64_ds, shminfo64 and shm_info; the
 * segments are dev.jux.ipc's, the mappings dev.jux.mm's.
 */
final class SysvShmSyscalls {
    private SysvShmSyscalls() {}

    static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    static final int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14, SHM_STAT_ANY = 15;
    /** SHMLBA on x86-64: a page. */
    static final long SHMLBA = AddressSpace.PAGE;
    /** sizeof(struct shmid64_ds) on x86-64. */
    static final int SHMID_DS_SIZE = 112;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SHMGET, Support.FULL, "SHMMNI/SHMMAX/SHMALL as Linux's defaults; SHM_HUGETLB: no huge pages (ENOMEM)",
                SysvShmSyscalls::shmget);
        t.add(SyscallNumbers.SHMAT, Support.FULL, "SHM_RND, SHM_RDONLY, SHM_EXEC, SHM_REMAP; nattch counts VMAs as Linux", SysvShmSyscalls::shmat);
        t.add(SyscallNumbers.SHMDT, Support.FULL, "also the pieces of a split attachment", SysvShmSyscalls::shmdt);
        t.add(SyscallNumbers.SHMCTL, Support.FULL, "every command; SHM_LOCK only marks the segment (Jux never swaps)", SysvShmSyscalls::shmctl);
    }

    private static Credentials creds(Task t) {
        return t.group().credentials();
    }

    private static SharedMemory shm(Task t) {
        return t.kernel().ipc().sharedMemory();
    }

    static long shmget(Task t, Args a) {
        return shm(t).get(creds(t), a.i(0), a.get(1), a.i(2), t.group().pid(), t.kernel().frames());
    }

    /** shmat(shmid, shmaddr, shmflg) (ipc/shm.c: do_shmat): the address checks come before the id's. */
    static long shmat(Task t, Args a) {
        int shmid = a.i(0), flags = a.i(2);
        long addr = a.get(1);
        if (shmid < 0) throw new LinuxException(Errno.EINVAL);
        if (addr != 0) {
            if ((addr & (SHMLBA - 1)) != 0) {
                if ((flags & SHM_RND) == 0) throw new LinuxException(Errno.EINVAL);
                addr &= -SHMLBA;
                if (addr == 0 && (flags & SHM_REMAP) != 0) throw new LinuxException(Errno.EINVAL);
            }
        } else if ((flags & SHM_REMAP) != 0) {
            throw new LinuxException(Errno.EINVAL);
        }
        int prot = Vma.READ, access = IpcPerm.READ;
        if ((flags & SHM_RDONLY) == 0) {
            prot |= Vma.WRITE;
            access |= IpcPerm.WRITE;
        }
        if ((flags & SHM_EXEC) != 0) {
            prot |= Vma.EXEC;
            access |= 1;
        }
        SharedMemory shm = shm(t);
        ShmSegment s = shm.beginAttach(creds(t), shmid, access);
        try {
            return t.memory().attachShared(addr, s.size(), prot, (flags & SHM_REMAP) != 0, s.mapsName(), s.pages());
        } finally {
            shm.endAttach(s);
        }
    }

    static long shmdt(Task t, Args a) {
        long addr = a.get(0);
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        if (!t.memory().unmapAttachment(addr)) throw new LinuxException(Errno.EINVAL);
        return 0;
    }

    static long shmctl(Task t, Args a) {
        int shmid = a.i(0), cmd = a.i(1);
        long buf = a.get(2);
        SharedMemory shm = shm(t);
        Credentials c = creds(t);
        UserMemory m = t.memory();
        if (cmd < 0 || shmid < 0) throw new LinuxException(Errno.EINVAL);   // ksys_shmctl
        switch (cmd) {
            case IPC_INFO -> {
                SharedMemory.Info i = shm.info();
                byte[] b = new byte[72];   // struct shminfo64: shmmax, shmmin, shmmni, shmseg, shmall, four unused
                putLong(b, 0, SharedMemory.SHMMAX);
                putLong(b, 8, SharedMemory.SHMMIN);
                putLong(b, 16, SharedMemory.SHMMNI);
                putLong(b, 24, SharedMemory.SHMMNI);   // SHMSEG
                putLong(b, 32, SharedMemory.SHMALL);
                m.write(buf, b);
                return i.maxIndex();
            }
            case SHM_INFO -> {
                SharedMemory.Info i = shm.info();
                byte[] b = new byte[48];   // struct shm_info: int used_ids; unsigned long shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes
                putInt(b, 0, i.usedIds());
                putLong(b, 8, i.totalPages());
                putLong(b, 16, i.residentPages());
                m.write(buf, b);
                return i.maxIndex();
            }
            case IPC_STAT, SHM_STAT, SHM_STAT_ANY -> {
                SharedMemory.Stat s = shm.stat(c, shmid, cmd != IPC_STAT, cmd != SHM_STAT_ANY);
                byte[] b = new byte[SHMID_DS_SIZE];
                putPerm(b, s.perm());
                putLong(b, 48, s.segsz());
                putLong(b, 56, s.atime());
                putLong(b, 64, s.dtime());
                putLong(b, 72, s.ctime());
                putInt(b, 80, s.cpid());
                putInt(b, 84, s.lpid());
                putLong(b, 88, s.nattch());
                m.write(buf, b);
                return cmd == IPC_STAT ? 0 : s.id();
            }
            case IPC_SET -> {
                byte[] b = m.read(buf, SHMID_DS_SIZE);
                shm.set(c, shmid, getInt(b, 4), getInt(b, 8), getInt(b, 20));
                return 0;
            }
            case IPC_RMID -> {
                shm.remove(c, shmid);
                return 0;
            }
            case SHM_LOCK, SHM_UNLOCK -> {
                shm.lock(c, shmid, cmd == SHM_LOCK, t.group().limits().soft(Rlimit.RLIMIT_MEMLOCK));
                return 0;
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }
}
