package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import dev.jux.mm.FrameAllocator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * System V shared memory (Linux's ipc/shm.c): shmget, the bookkeeping around shmat, and the
 * shmctl commands. The pages are guest memory (the frame allocator's, so --memory bounds
 * them); the mapping itself is dev.jux.mm's ({@code AddressSpace.attachShared}). Linux's
 * default limits: SHMMNI segments, SHMMAX bytes each, SHMALL pages in all.
 */
public final class SharedMemory {
    public static final int SHMMNI = 4096;
    public static final long SHMMIN = 1;
    /** SHMMAX and SHMALL: ULONG_MAX - (1 << 24), in bytes and in pages. */
    public static final long SHMMAX = -1L - (1L << 24), SHMALL = -1L - (1L << 24);
    public static final int SHM_HUGETLB = 04000, SHM_NORESERVE = 010000;

    /** A shmid64_ds. */
    public record Stat(int id, IpcPermView perm, long segsz, long atime, long dtime, long ctime, int cpid, int lpid, long nattch) {}

    /** struct shminfo64 (IPC_INFO) or struct shm_info (SHM_INFO), with the highest index in use that both return. */
    public record Info(int maxIndex, int usedIds, long totalPages, long residentPages) {}

    private final IpcIds<ShmSegment> ids = new IpcIds<>(SHMMNI);
    private final IntSupplier currentPid;
    /** shm_tot: pages of all segments. */
    private long totalPages;
    /** Pages locked by SHM_LOCK, per uid (user_shm_lock's count against RLIMIT_MEMLOCK). */
    private final Map<Integer, Long> lockedPages = new HashMap<>();

    /** {@code currentPid}: the process on whose behalf the kernel runs now (shm_lpid of a fork, exit or exec). */
    public SharedMemory(IntSupplier currentPid) {
        this.currentPid = currentPid;
    }

    public IpcIds<ShmSegment> ids() {
        return ids;
    }

    /**
     * shmget (ipc/shm.c: newseg and shm_more_checks): EINVAL for a size out of SHMMIN..SHMMAX
     * or, for an existing segment, larger than it; ENOSPC past SHMMNI or SHMALL; ENOMEM for a
     * segment larger than guest memory unless SHM_NORESERVE (the overcommit heuristic).
     * SHM_HUGETLB: Jux has no huge pages, as a Linux with none reserved: ENOMEM (EPERM for a
     * user without CAP_IPC_LOCK outside group 0, whom hugetlb_file_setup refuses first).
     */
    public int get(Credentials c, int key, long size, int flags, int pid, FrameAllocator frames) {
        synchronized (ids) {
            return ids.get(c, key, flags, perm -> create(c, perm, size, flags, pid, frames), s -> {
                if (Long.compareUnsigned(s.size, size) < 0) throw new LinuxException(Errno.EINVAL);   // size_t
            });
        }
    }

    private ShmSegment create(Credentials c, IpcPerm perm, long size, int flags, int pid, FrameAllocator frames) {
        if (Long.compareUnsigned(size, SHMMIN) < 0 || Long.compareUnsigned(size, SHMMAX) > 0) throw new LinuxException(Errno.EINVAL);
        long pages = Long.divideUnsigned(size + 4095, 4096);
        if (Long.compareUnsigned(totalPages + pages, totalPages) < 0 || Long.compareUnsigned(totalPages + pages, SHMALL) > 0) {
            throw new LinuxException(Errno.ENOSPC);
        }
        // hugetlb_file_setup: EPERM unless CAP_IPC_LOCK or in vm.hugetlb_shm_group (0); then no huge pages are reserved.
        if ((flags & SHM_HUGETLB) != 0) throw new LinuxException(c.isRoot() || c.inGroup(0) ? Errno.ENOMEM : Errno.EPERM);
        if ((flags & SHM_NORESERVE) == 0 && pages > frames.totalFrames()) throw new LinuxException(Errno.ENOMEM);
        ShmSegment s = new ShmSegment(this, perm, size, pid, frames);
        totalPages += pages;
        return s;
    }

    /**
     * do_shmat up to the mapping: the segment {@code shmid} if {@code access} (IpcPerm bits,
     * READ, WRITE, 1 for execute) is allowed (EINVAL, EACCES), counted as attached until
     * {@link #endAttach} so that IPC_RMID cannot free it meanwhile.
     */
    public ShmSegment beginAttach(Credentials c, int shmid, int access) {
        synchronized (ids) {
            ShmSegment s = ids.byId(shmid);
            s.perm.check(c, access);
            if (s.removed) throw new LinuxException(Errno.EIDRM);
            s.nattch++;
            return s;
        }
    }

    /** do_shmat after the mapping (made or not): the count {@link #beginAttach} took goes; a removed segment attached nowhere is freed. */
    public void endAttach(ShmSegment s) {
        synchronized (ids) {
            s.nattch--;
            if (s.mayDestroy()) ids.remove(s);
        }
    }

    /** shm_open: a VMA of the segment appeared (shmat, fork, a split). */
    void vmaOpened(ShmSegment s) {
        synchronized (ids) {
            s.atime = IpcObject.now();
            s.lpid = currentPid.getAsInt();
            s.nattch++;
        }
    }

    /** shm_close: one went (shmdt, munmap, exit, exec); the last of a removed segment frees it. */
    void vmaClosed(ShmSegment s) {
        synchronized (ids) {
            s.lpid = currentPid.getAsInt();
            s.dtime = IpcObject.now();
            s.nattch--;
            if (s.mayDestroy()) ids.remove(s);
        }
    }

    /** Called under the ids' lock as a segment is freed: its pages leave shm_tot, its lock its user's count. */
    void freed(ShmSegment s) {
        totalPages -= s.pageCount();
        unlockPages(s);
    }

    /** IPC_STAT (read permission), SHM_STAT (by index, read permission), SHM_STAT_ANY (by index). */
    public Stat stat(Credentials c, int idOrIndex, boolean byIndex, boolean checkRead) {
        synchronized (ids) {
            ShmSegment s = byIndex ? ids.byIndex(idOrIndex) : ids.byId(idOrIndex);
            if (checkRead) s.perm.check(c, IpcPerm.READ);
            return stat(s);
        }
    }

    /** Every segment's shmid64_ds, in index order (/proc/sysvipc/shm), with its resident pages. */
    public java.util.List<Map.Entry<Stat, Long>> statAll() {
        synchronized (ids) {
            return ids.all().stream().map(s -> Map.entry(stat(s), (long) s.pages.residentPages())).toList();
        }
    }

    private static Stat stat(ShmSegment s) {
        return new Stat(s.perm.id, IpcPermView.of(s.perm), s.size, s.atime, s.dtime, s.ctime, s.cpid, s.lpid, s.nattch);
    }

    /** IPC_INFO and SHM_INFO (which reports the segments, their pages and the resident ones). */
    public Info info() {
        synchronized (ids) {
            long resident = 0;
            for (ShmSegment s : ids.all()) resident += s.pages.residentPages();
            return new Info(Math.max(0, ids.maxIndex()), ids.inUse(), totalPages, resident);
        }
    }

    /** IPC_SET (ipc/shm.c: shmctl_down): owner and the nine permission bits; EPERM unless owner, creator or root. */
    public void set(Credentials c, int shmid, int uid, int gid, int mode) {
        synchronized (ids) {
            ShmSegment s = ids.byId(shmid);
            s.perm.checkOwner(c);
            s.updatePerm(uid, gid, mode);
        }
    }

    /**
     * IPC_RMID (do_shm_rmid): a segment attached somewhere is marked SHM_DEST and loses its
     * key, and lives until its last VMA goes; one attached nowhere goes now.
     */
    public void remove(Credentials c, int shmid) {
        synchronized (ids) {
            ShmSegment s = ids.byId(shmid);
            s.perm.checkOwner(c);
            if (s.nattch > 0) {
                s.perm.mode |= ShmSegment.SHM_DEST;
                ids.makePrivate(s);
            } else {
                ids.remove(s);
            }
        }
    }

    /**
     * SHM_LOCK and SHM_UNLOCK (shmctl_do_lock, user_shm_lock): without CAP_IPC_LOCK (root)
     * only the owner or creator may, SHM_LOCK needs a RLIMIT_MEMLOCK above 0 (EPERM), and
     * the pages a user locks this way stay within it (ENOMEM). Jux never swaps, so the lock is
     * the SHM_LOCKED mode bit and the count.
     */
    public void lock(Credentials c, int shmid, boolean lock, long memlockLimit) {
        synchronized (ids) {
            ShmSegment s = ids.byId(shmid);
            boolean privileged = c.isRoot();
            if (!privileged) {
                if (c.euid() != s.perm.uid && c.euid() != s.perm.cuid) throw new LinuxException(Errno.EPERM);
                if (lock && memlockLimit == 0) throw new LinuxException(Errno.EPERM);
            }
            if (!lock) {
                unlockPages(s);
                return;
            }
            if ((s.perm.mode & ShmSegment.SHM_LOCKED) != 0) return;
            long limitPages = memlockLimit == -1 ? Long.MAX_VALUE : memlockLimit >>> 12;
            long locked = lockedPages.getOrDefault(c.euid(), 0L) + s.pageCount();
            if (locked > limitPages && !privileged) throw new LinuxException(Errno.ENOMEM);
            lockedPages.put(c.euid(), locked);
            s.lockedBy = c.euid();
            s.perm.mode |= ShmSegment.SHM_LOCKED;
        }
    }

    private void unlockPages(ShmSegment s) {
        if ((s.perm.mode & ShmSegment.SHM_LOCKED) == 0) return;
        lockedPages.computeIfPresent(s.lockedBy, (uid, n) -> n - s.pageCount() <= 0 ? null : n - s.pageCount());
        s.perm.mode &= ~ShmSegment.SHM_LOCKED;
    }
}
