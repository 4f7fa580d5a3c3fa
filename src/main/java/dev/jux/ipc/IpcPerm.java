package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;

/**
 * The ownership and mode of one System V IPC object (Linux's struct kern_ipc_perm): its key,
 * owner and creator, nine permission bits and the sequence number that is part of its id.
 * Guarded by the lock of the {@link IpcIds} that holds the object.
 */
public final class IpcPerm {
    /** The permission bits that IPC_SET and the create flags may set (S_IRWXUGO). */
    public static final int MODE_BITS = 0777;
    public static final int READ = 4, WRITE = 2;

    /** Set to IPC_PRIVATE when a removed object lives on (a shared memory segment still attached). */
    int key;
    int uid, gid;
    final int cuid, cgid;
    int mode;
    int seq;
    int id;

    IpcPerm(int key, Credentials creator, int mode) {
        this.key = key;
        this.uid = this.cuid = creator.euid();
        this.gid = this.cgid = creator.egid();
        this.mode = mode & MODE_BITS;
    }

    public int key() { return key; }
    public int uid() { return uid; }
    public int gid() { return gid; }
    public int cuid() { return cuid; }
    public int cgid() { return cgid; }
    public int mode() { return mode; }
    public int seq() { return seq; }
    public int id() { return id; }

    /**
     * ipc/util.c: ipcperms. {@code flag}'s low nine bits (or READ / WRITE) ask for access; the
     * owner or creator is judged by the user bits, a member of the owner's or creator's group
     * by the group bits, anyone else by the other bits. Root (CAP_IPC_OWNER) passes.
     */
    public boolean allows(Credentials c, int flag) {
        int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
        int granted = mode;
        if (c.euid() == cuid || c.euid() == uid) granted >>= 6;
        else if (c.inGroup(cgid) || c.inGroup(gid)) granted >>= 3;
        return (requested & ~granted & 7) == 0 || c.isRoot();
    }

    /** EACCES unless {@link #allows}. */
    public void check(Credentials c, int flag) {
        if (!allows(c, flag)) throw new LinuxException(Errno.EACCES);
    }

    /** ipc/util.c: ipcctl_obtain_check: IPC_SET and IPC_RMID are for the owner, the creator or root (EPERM). */
    public void checkOwner(Credentials c) {
        if (c.euid() != uid && c.euid() != cuid && !c.isRoot()) throw new LinuxException(Errno.EPERM);
    }

    /** IPC_SET's change (ipc_update_perm): the owner and the nine permission bits; EINVAL for uid or gid -1. */
    void set(int newUid, int newGid, int newMode) {
        if (newUid == -1 || newGid == -1) throw new LinuxException(Errno.EINVAL);
        uid = newUid;
        gid = newGid;
        mode = (mode & ~MODE_BITS) | (newMode & MODE_BITS);
    }
}
