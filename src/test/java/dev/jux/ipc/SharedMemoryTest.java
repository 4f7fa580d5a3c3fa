package dev.jux.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import dev.jux.mm.FakePlatform;
import dev.jux.mm.FrameAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System V shared memory's bookkeeping without address spaces: shmget's limits, nattch from the VMA hooks, IPC_RMID, SHM_LOCK. */
class SharedMemoryTest {
    private static final Credentials ROOT = Credentials.ROOT;
    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private int pid = 7;
    private final SharedMemory shm = new SharedMemory(() -> pid);

    @AfterEach
    void close() {
        platform.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(LinuxException.class, r::run).errno();
    }

    private int create(long size, int flags) {
        return shm.get(ROOT, IpcIds.IPC_PRIVATE, size, flags | 0600, 1, frames);
    }

    @Test
    void sizesAndLimits() {
        assertEquals(Errno.EINVAL, errno(() -> create(0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> create(-1, 0)));
        assertEquals(Errno.ENOMEM, errno(() -> create((frames.totalFrames() + 1) * 4096, 0)));
        assertEquals(Errno.ENOMEM, errno(() -> create(1 << 21, SharedMemory.SHM_HUGETLB)));
        int big = create(1L << 48, SharedMemory.SHM_NORESERVE);   // reserves nothing
        assertEquals(1L << 48, shm.stat(ROOT, big, false, true).segsz());
        assertEquals(1L << 36, shm.info().totalPages());
        shm.remove(ROOT, big);
        assertEquals(0, shm.info().totalPages());
        for (int i = 0; i < SharedMemory.SHMMNI; i++) create(1, 0);
        assertEquals(Errno.ENOSPC, errno(() -> create(1, 0)));
    }

    @Test
    void anExistingSegmentMustBeAsLargeAsAskedFor() {
        int id = shm.get(ROOT, 42, 5000, IpcIds.IPC_CREAT | 0600, 1, frames);
        assertEquals(id, shm.get(ROOT, 42, 100, 0, 1, frames));
        assertEquals(Errno.EINVAL, errno(() -> shm.get(ROOT, 42, 5001, 0, 1, frames)));
        assertEquals(Errno.EINVAL, errno(() -> shm.get(ROOT, 42, -1, 0, 1, frames)));   // unsigned, as size_t
    }

    @Test
    void removedWhileAttachedLivesUntilTheLastVmaGoes() {
        int id = shm.get(ROOT, 42, 5000, IpcIds.IPC_CREAT | 0600, 1, frames);
        ShmSegment s = shm.beginAttach(ROOT, id, IpcPerm.READ | IpcPerm.WRITE);
        pid = 8;
        s.pages().hooks().opened();               // the mapping shmat made
        shm.endAttach(s);
        assertEquals(1, shm.stat(ROOT, id, false, true).nattch());
        assertEquals(8, shm.stat(ROOT, id, false, true).lpid());
        shm.remove(ROOT, id);
        SharedMemory.Stat st = shm.stat(ROOT, id, false, true);
        assertEquals(IpcIds.IPC_PRIVATE, st.perm().key());
        assertEquals(ShmSegment.SHM_DEST, st.perm().mode() & ShmSegment.SHM_DEST);
        assertEquals(Errno.ENOENT, errno(() -> shm.get(ROOT, 42, 5000, 0, 1, frames)));
        pid = 9;
        s.pages().hooks().closed();
        assertEquals(Errno.EINVAL, errno(() -> shm.stat(ROOT, id, false, true)));
        assertEquals(0, shm.info().usedIds());
    }

    @Test
    void removalDuringShmatWaitsForItsEnd() {
        int id = create(4096, 0);
        ShmSegment s = shm.beginAttach(ROOT, id, IpcPerm.READ);
        shm.remove(ROOT, id);                     // nattch counts the attach in progress
        assertEquals(1, shm.info().usedIds());
        shm.endAttach(s);                         // the mapping failed: nothing maps it
        assertEquals(0, shm.info().usedIds());
    }

    @Test
    void lockNeedsOwnershipAndRoomInRlimitMemlock() {
        Credentials user = Credentials.of(1000, 1000);
        int id = shm.get(user, IpcIds.IPC_PRIVATE, 3 * 4096, 0600, 1, frames);
        Credentials other = Credentials.of(1001, 1001);
        assertEquals(Errno.EPERM, errno(() -> shm.lock(other, id, true, 1 << 20)));
        assertEquals(Errno.EPERM, errno(() -> shm.lock(user, id, true, 0)));
        assertEquals(Errno.ENOMEM, errno(() -> shm.lock(user, id, true, 2 * 4096)));
        shm.lock(user, id, true, 3 * 4096);
        int second = shm.get(user, IpcIds.IPC_PRIVATE, 4096, 0600, 1, frames);
        assertEquals(Errno.ENOMEM, errno(() -> shm.lock(user, second, true, 3 * 4096)));
        shm.lock(user, id, false, 0);
        shm.lock(user, second, true, 3 * 4096);
        assertEquals(ShmSegment.SHM_LOCKED, shm.stat(user, second, false, true).perm().mode() & ShmSegment.SHM_LOCKED);
    }
}
