package dev.jux.ipc;

import dev.jux.mm.FrameAllocator;
import dev.jux.mm.SharedPages;
import dev.jux.mm.VmaHooks;

/**
 * One System V shared memory segment (Linux's struct shmid_kernel): its pages, its size as
 * asked for (the mappings are whole pages), and the statistics shmid64_ds shows. The
 * attachment count is Linux's: the number of VMAs that map the segment, kept by the
 * {@link VmaHooks} its pages call (ipc/shm.c: shm_open and shm_close), so a fork, a split by
 * mprotect or munmap, exit and exec all count without the system calls knowing. Guarded by the
 * monitor of the {@link IpcIds} that holds it.
 */
public final class ShmSegment extends IpcObject {
    /** Mode bits beyond the permissions (shm.h): IPC_RMID came while attached; SHM_LOCK. */
    static final int SHM_DEST = 01000, SHM_LOCKED = 02000;

    private final SharedMemory owner;
    final long size;
    final SharedPages pages;
    /** The name /proc/PID/maps shows for an attachment: shmem's file "SYSV%08x" of the creation key, unlinked. */
    final String mapsName;
    final int cpid;
    int lpid;
    long atime, dtime;
    long nattch;
    /** The euid whose RLIMIT_MEMLOCK count SHM_LOCK charged. */
    int lockedBy;
    private boolean freed;

    ShmSegment(SharedMemory owner, IpcPerm perm, long size, int cpid, FrameAllocator frames) {
        super(perm);
        this.owner = owner;
        this.size = size;
        this.cpid = cpid;
        this.mapsName = String.format("/SYSV%08x (deleted)", perm.key);
        this.pages = SharedPages.segment(frames, new Hooks());
    }

    /** The size shmget was asked for (shm_segsz). */
    public long size() {
        return size;
    }

    public SharedPages pages() {
        return pages;
    }

    public String mapsName() {
        return mapsName;
    }

    long pageCount() {
        return (size + 4095) >>> 12;
    }

    boolean destroyed() {
        return (perm.mode & SHM_DEST) != 0;
    }

    /** shm_may_destroy: marked by IPC_RMID and attached nowhere. */
    boolean mayDestroy() {
        return nattch == 0 && destroyed();
    }

    /** Called by {@link IpcIds#remove}: the segment's own hold on its pages goes (the frames with the last mapping). */
    @Override
    void destroy() {
        if (freed) return;
        freed = true;
        owner.freed(this);
        pages.release();
    }

    /** shm_open and shm_close, called as VMAs of the segment appear and go (under an address space's lock). */
    private final class Hooks implements VmaHooks {
        @Override
        public void opened() {
            owner.vmaOpened(ShmSegment.this);
        }

        @Override
        public void closed() {
            owner.vmaClosed(ShmSegment.this);
        }

        @Override
        public long size() {
            return size;
        }
    }
}
