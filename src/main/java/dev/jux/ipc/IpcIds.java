package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The objects of one IPC kind (Linux's struct ipc_ids): by index (the lowest free one is
 * taken, as idr_alloc does) and by key. An id is index + seq * 32768 (ipc_buildid), where
 * seq counts the creations of this kind, so a stale id of a removed object does not name its
 * successor. Every method runs under this object's monitor, which also guards the objects.
 */
public final class IpcIds<T extends IpcObject> {
    /** IPCMNI: the index space, and the multiplier of the sequence number in an id. */
    public static final int IPCMNI = 32768;
    private static final int SEQ_SHIFT = 15;
    /** IPCID_SEQ_MAX: INT_MAX >> 15. */
    private static final int SEQ_MAX = Integer.MAX_VALUE >> SEQ_SHIFT;
    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000;

    private final int max;
    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    private final java.util.BitSet usedIndexes = new java.util.BitSet();
    private final Map<Integer, T> byKey = new HashMap<>();
    private int seq;

    /** {@code max}: how many may exist at once (SEMMNI, MSGMNI, SHMMNI). */
    public IpcIds(int max) {
        this.max = max;
    }

    /**
     * ipc/util.c: ipcget. IPC_PRIVATE always creates; another key finds its object (EEXIST
     * with IPC_CREAT|IPC_EXCL, then {@code moreChecks}, then EACCES by the requested mode) or,
     * with IPC_CREAT, creates one (ENOENT without). {@code create} builds the object (throwing
     * its own errors, e.g. ENOSPC); ENOSPC when {@code max} objects exist. Returns the id.
     */
    public synchronized int get(Credentials c, int key, int flags, Function<IpcPerm, T> create, java.util.function.Consumer<T> moreChecks) {
        if (key != IPC_PRIVATE) {
            T found = byKey.get(key);
            if (found != null) {
                if ((flags & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL)) throw new LinuxException(Errno.EEXIST);
                moreChecks.accept(found);
                found.perm.check(c, flags);
                return found.perm.id;
            }
            if ((flags & IPC_CREAT) == 0) throw new LinuxException(Errno.ENOENT);
        }
        if (byIndex.size() >= max) throw new LinuxException(Errno.ENOSPC);
        T obj = create.apply(new IpcPerm(key, c, flags));
        int index = usedIndexes.nextClearBit(0);
        usedIndexes.set(index);
        obj.perm.seq = seq;
        seq = seq >= SEQ_MAX ? 0 : seq + 1;
        obj.perm.id = (obj.perm.seq << SEQ_SHIFT) + index;
        byIndex.put(index, obj);
        if (key != IPC_PRIVATE) byKey.put(key, obj);
        return obj.perm.id;
    }

    /** The object {@code id} names (ipc_obtain_object_check): EINVAL for a negative, unused or stale id. */
    public synchronized T byId(int id) {
        if (id < 0) throw new LinuxException(Errno.EINVAL);
        T obj = byIndex.get(id & (IPCMNI - 1));
        if (obj == null || obj.perm.seq != id >>> SEQ_SHIFT) throw new LinuxException(Errno.EINVAL);
        return obj;
    }

    /** The object at {@code index}, for SEM_STAT/MSG_STAT (ipc_obtain_object_idr): EINVAL if none. */
    public synchronized T byIndex(int index) {
        T obj = index < 0 ? null : byIndex.get(index);
        if (obj == null) throw new LinuxException(Errno.EINVAL);
        return obj;
    }

    /** IPC_RMID: forgets the object and fails its sleepers. */
    public synchronized void remove(T obj) {
        byIndex.remove(obj.perm.id & (IPCMNI - 1));
        usedIndexes.clear(obj.perm.id & (IPCMNI - 1));
        if (obj.perm.key != IPC_PRIVATE) byKey.remove(obj.perm.key, obj);
        obj.removed = true;
        obj.destroy();
    }

    /**
     * ipc/util.c: ipc_set_key_private: the object can no longer be found by its key (which
     * becomes IPC_PRIVATE), but still by its id (a removed shared memory segment that is
     * still attached).
     */
    public synchronized void makePrivate(T obj) {
        if (obj.perm.key != IPC_PRIVATE) byKey.remove(obj.perm.key, obj);
        obj.perm.key = IPC_PRIVATE;
    }

    /** The highest index in use, -1 if none (ipc_get_maxidx). */
    public synchronized int maxIndex() {
        return byIndex.isEmpty() ? -1 : byIndex.lastKey();
    }

    public synchronized int inUse() {
        return byIndex.size();
    }

    public int max() {
        return max;
    }

    /** The objects in index order, a copy (for /proc/sysvipc). */
    public synchronized java.util.List<T> all() {
        return java.util.List.copyOf(byIndex.values());
    }
}
