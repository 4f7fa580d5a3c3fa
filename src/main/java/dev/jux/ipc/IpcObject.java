package dev.jux.ipc;

import dev.jux.fs.vfs.FsClock;

/** A System V IPC object (a semaphore set, a message queue, a shared memory segment): its permissions and change time. */
public abstract class IpcObject {
    final IpcPerm perm;
    /** CLOCK_REALTIME seconds of the creation or the last IPC_SET (or SETVAL...). */
    long ctime = IpcObject.now();
    /** Set once IPC_RMID took it out of its {@link IpcIds}; sleepers then fail with EIDRM. */
    volatile boolean removed;

    protected IpcObject(IpcPerm perm) {
        this.perm = perm;
    }

    public IpcPerm perm() {
        return perm;
    }

    public long ctime() {
        return ctime;
    }

    /** IPC_SET's common part (ipc_update_perm): owner, group and the nine permission bits; the change time becomes now. */
    void updatePerm(int uid, int gid, int mode) {
        perm.set(uid, gid, mode);
        ctime = now();
    }

    /** CLOCK_REALTIME in seconds, as the IPC time fields hold it (ktime_get_real_seconds). */
    static long now() {
        return FsClock.now() / 1_000_000_000L;
    }

    /** Called under the ids' lock as the object is removed: wake and fail its sleepers. */
    abstract void destroy();
}
