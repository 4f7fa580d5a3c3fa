package dev.jux.ipc;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Credentials;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.util.HashMap;
import java.util.Map;

/**
 * System V semaphores (Linux's ipc/sem.c): semget, semop/semtimedop with SEM_UNDO, and the
 * semctl commands. The callers pass who they are: credentials, the process id, and the
 * process's identity as the owner of its undo records ({@link #processExited} applies them).
 */
public final class Semaphores {
    /** The limits Linux has by default (SEMMSL, SEMOPM, SEMMNI), and the total of semaphores Jux allows (Linux's SEMMNS is 1024000000). */
    public static final int SEMMSL = 32000, SEMOPM = 500, SEMMNI = 32000, SEMMNS = 1 << 22;

    /** A semid64_ds: the permissions, the last semop's and the last change's times, the size. */
    public record Stat(int id, IpcPermView perm, long otime, long ctime, int nsems) {}

    /** struct seminfo, in its order, and what IPC_INFO/SEM_INFO return: the highest index in use (0 if none). */
    public record Info(int maxIndex, int semmap, int semmni, int semmns, int semmnu, int semmsl, int semopm, int semume, int semusz, int semvmx, int semaem) {}

    private final IpcIds<SemaphoreSet> ids = new IpcIds<>(SEMMNI);
    private final Map<Object, Map<SemaphoreSet, SemUndo>> undoLists = new HashMap<>();
    private int usedSems;
    /** The adjustments all undo records hold: at most {@link #UNDO_CAP} (then ENOMEM, as a failed allocation in find_alloc_undo). */
    private long undoEntries;
    public static final long UNDO_CAP = 1L << 24;

    public IpcIds<SemaphoreSet> ids() {
        return ids;
    }

    /** semget: EINVAL for nsems out of 0..SEMMSL (and 0 to create, or more than an existing set has), ENOSPC past SEMMNS. */
    public int get(Credentials c, int key, int nsems, int flags) {
        if (nsems < 0 || nsems > SEMMSL) throw new LinuxException(Errno.EINVAL);
        synchronized (ids) {
            return ids.get(c, key, flags, perm -> {
                if (nsems == 0) throw new LinuxException(Errno.EINVAL);
                if (usedSems + nsems > SEMMNS) throw new LinuxException(Errno.ENOSPC);
                usedSems += nsems;
                return new SemaphoreSet(perm, nsems);
            }, set -> {
                if (set.size() < nsems) throw new LinuxException(Errno.EINVAL);
            });
        }
    }

    /**
     * semop/semtimedop (ipc/sem.c: do_semtimedop): all the operations at once or, unless
     * IPC_NOWAIT (EAGAIN), sleep until another change lets them all proceed. EFBIG for a
     * semaphore index out of range, EACCES (write permission if any operation changes a
     * value, read otherwise), ERANGE, EAGAIN when {@code deadline} passes, EIDRM if the set is
     * removed meanwhile, EINTR on a signal (never restarted, as Linux).
     */
    public void op(Waiter w, Credentials c, int pid, Object process, int semid, SemOp[] ops, long deadline) {
        int max = 0;
        boolean undos = false, alter = false;
        for (SemOp o : ops) {
            max = Math.max(max, o.num());
            undos |= o.undo();
            alter |= o.op() != 0;
        }
        SemSleeper sleeper;
        SemaphoreSet set;
        synchronized (ids) {
            set = ids.byId(semid);
            if (max >= set.size()) throw new LinuxException(Errno.EFBIG);
            set.perm.check(c, alter ? IpcPerm.WRITE : IpcPerm.READ);
            SemUndo undo = undos ? undoFor(process, set) : null;
            int r = set.tryOps(ops, undo, pid);
            if (r == SemaphoreSet.DONE) {
                set.otime = IpcObject.now();
                if (alter) set.wakeSleepers();
                return;
            }
            if (r < SemaphoreSet.DONE) throw new LinuxException(Errno.of(-r));
            // perform_atomic_semop: the IPC_NOWAIT that counts is the blocking operation's.
            if ((ops[r].flags() & SemOp.IPC_NOWAIT) != 0) throw new LinuxException(Errno.EAGAIN);
            sleeper = new SemSleeper(w, ops, undo, pid);
            sleeper.blocking = r;
            set.sleepers.add(sleeper);
        }
        Wakeup how = w.block(() -> sleeper.status != SemSleeper.PENDING, deadline);
        synchronized (ids) {
            if (sleeper.status == SemSleeper.PENDING) {
                set.sleepers.remove(sleeper);
                throw new LinuxException(how == Wakeup.TIMED_OUT ? Errno.EAGAIN : Errno.EINTR);
            }
        }
        if (sleeper.status != 0) throw new LinuxException(Errno.of(sleeper.status));
    }

    /** The process's undo record for the set (find_alloc_undo), created empty. Under the ids' lock. */
    private SemUndo undoFor(Object process, SemaphoreSet set) {
        Map<SemaphoreSet, SemUndo> list = undoLists.computeIfAbsent(process, p -> new HashMap<>());
        SemUndo u = list.get(set);
        if (u != null) return u;
        if (undoEntries + set.size() > UNDO_CAP) {
            if (list.isEmpty()) undoLists.remove(process);
            throw new LinuxException(Errno.ENOMEM);
        }
        undoEntries += set.size();
        u = new SemUndo(process, set);
        set.undos.add(u);
        list.put(set, u);
        return u;
    }

    /**
     * ipc/sem.c: exit_sem: the process has ended; each adjustment it has is added to its
     * semaphore, the result clamped to 0..SEMVMX, and sleepers that can now proceed do.
     */
    public void processExited(Object process, int pid) {
        synchronized (ids) {
            Map<SemaphoreSet, SemUndo> list = undoLists.remove(process);
            if (list == null) return;
            for (SemUndo u : list.values()) {
                SemaphoreSet set = u.set;
                set.undos.remove(u);
                undoEntries -= u.adj.length;
                if (set.removed) continue;
                for (int i = 0; i < u.adj.length; i++) {
                    if (u.adj[i] == 0) continue;
                    set.values[i] = (short) Math.clamp(set.values[i] + u.adj[i], 0, SemaphoreSet.SEMVMX);
                    set.pids[i] = pid;
                }
                set.otime = IpcObject.now();
                set.wakeSleepers();
            }
        }
    }

    /** IPC_STAT (read permission), SEM_STAT (by index, read permission) and SEM_STAT_ANY (by index, none). */
    public Stat stat(Credentials c, int idOrIndex, boolean byIndex, boolean checkRead) {
        synchronized (ids) {
            SemaphoreSet set = byIndex ? ids.byIndex(idOrIndex) : ids.byId(idOrIndex);
            if (checkRead) set.perm.check(c, IpcPerm.READ);
            return new Stat(set.perm.id, IpcPermView.of(set.perm), set.otime, set.ctime, set.size());
        }
    }

    /** Every set's semid64_ds, in index order (/proc/sysvipc/sem). */
    public java.util.List<Stat> statAll() {
        synchronized (ids) {
            return ids.all().stream().map(set -> new Stat(set.perm.id, IpcPermView.of(set.perm), set.otime, set.ctime, set.size())).toList();
        }
    }

    /** IPC_INFO and SEM_INFO (which counts the sets and semaphores in use). */
    public Info info(boolean semInfo) {
        synchronized (ids) {
            return new Info(Math.max(0, ids.maxIndex()), SEMMNS, SEMMNI, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM,
                    semInfo ? ids.inUse() : 20, SemaphoreSet.SEMVMX, semInfo ? usedSems : SemaphoreSet.SEMAEM);
        }
    }

    /** IPC_SET: the owner's uid, gid and the permission bits (EPERM unless owner, creator or root). */
    public void set(Credentials c, int semid, int uid, int gid, int mode) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            set.perm.checkOwner(c);
            set.updatePerm(uid, gid, mode);
        }
    }

    /** IPC_RMID: sleepers fail with EIDRM, undo records are dropped (EPERM unless owner, creator or root). */
    public void remove(Credentials c, int semid) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            set.perm.checkOwner(c);
            for (SemUndo u : set.undos) {
                undoEntries -= u.adj.length;
                Map<SemaphoreSet, SemUndo> list = undoLists.get(u.owner);
                if (list != null) {
                    list.remove(set);
                    if (list.isEmpty()) undoLists.remove(u.owner);
                }
            }
            set.undos.clear();
            usedSems -= set.size();
            ids.remove(set);
        }
    }

    public enum Query { GETVAL, GETPID, GETNCNT, GETZCNT }

    /** GETVAL, GETPID, GETNCNT, GETZCNT: EINVAL for an index out of range, EACCES without read permission. */
    public int query(Credentials c, int semid, int num, Query q) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            if (num < 0 || num >= set.size()) throw new LinuxException(Errno.EINVAL);
            set.perm.check(c, IpcPerm.READ);
            return switch (q) {
                case GETVAL -> set.values[num];
                case GETPID -> set.pids[num];
                case GETNCNT -> set.waitingOn(num, false);
                case GETZCNT -> set.waitingOn(num, true);
            };
        }
    }

    /** The set's size, for GETALL/SETALL to size their buffers: EINVAL for a bad id, EACCES without the permission ({@link IpcPerm#READ} or WRITE). */
    public int size(Credentials c, int semid, int access) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            set.perm.check(c, access);
            return set.size();
        }
    }

    /** GETALL: every value (read permission). */
    public short[] getAll(Credentials c, int semid) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            set.perm.check(c, IpcPerm.READ);
            return set.values.clone();
        }
    }

    /** SETVAL (ipc/sem.c: semctl_setval): ERANGE outside 0..SEMVMX, EINVAL for the index, EACCES without write permission. */
    public void setValue(Credentials c, int pid, int semid, int num, int value) {
        if (value < 0 || value > SemaphoreSet.SEMVMX) throw new LinuxException(Errno.ERANGE);
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            if (num < 0 || num >= set.size()) throw new LinuxException(Errno.EINVAL);
            set.perm.check(c, IpcPerm.WRITE);
            set.clearAdjustments(num);
            set.values[num] = (short) value;
            set.pids[num] = pid;
            set.ctime = IpcObject.now();
            set.wakeSleepers();
        }
    }

    /** SETALL: EACCES without write permission, ERANGE for a value above SEMVMX (nothing set). */
    public void setAll(Credentials c, int pid, int semid, short[] values) {
        synchronized (ids) {
            SemaphoreSet set = ids.byId(semid);
            set.perm.check(c, IpcPerm.WRITE);
            if (values.length != set.size()) throw new LinuxException(Errno.EINVAL);
            for (short v : values) if (v < 0) throw new LinuxException(Errno.ERANGE);
            System.arraycopy(values, 0, set.values, 0, values.length);
            java.util.Arrays.fill(set.pids, pid);
            set.clearAdjustments(-1);
            set.ctime = IpcObject.now();
            set.wakeSleepers();
        }
    }
}
