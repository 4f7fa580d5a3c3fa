package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.ipc.IpcPermView;
import dev.jux.ipc.Message;
import dev.jux.ipc.MessageQueues;
import dev.jux.ipc.SemOp;
import dev.jux.ipc.Semaphores;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;
import dev.jux.mm.UserMemory;
import dev.jux.wait.Waiter;

/**
 * The System V IPC calls (ipc/syscall.c's x86-64 entries): argument reading and the x86-64
 * struct layouts (ipc64_perm, semid64_ds, sembuf, seminfo, msqid64_ds, msginfo, msgbuf);
 * the semantics are dev.jux.ipc's. On x86-64 the IPC_64 bit is not stripped from a command
 * (ipc_parse_version is a constant there): a command with it is EINVAL, as natively.
 */
final class SysvIpcSyscalls {
    private SysvIpcSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SEMGET, Support.FULL, "SEMMSL/SEMMNI as Linux's defaults; at most 4194304 semaphores in all (ENOSPC)", SysvIpcSyscalls::semget);
        t.add(SyscallNumbers.SEMOP, Support.FULL, "atomic arrays, SEM_UNDO applied at process exit, EINTR on a signal", SysvIpcSyscalls::semop);
        t.add(SyscallNumbers.SEMTIMEDOP, Support.FULL, "as semop, with a relative timeout (EAGAIN)", SysvIpcSyscalls::semtimedop);
        t.add(SyscallNumbers.SEMCTL, Support.FULL, "every command; IPC_INFO/SEM_INFO report Jux's limits", SysvIpcSyscalls::semctl);
        t.add(SyscallNumbers.MSGGET, Support.FULL, "MSGMNI as Linux's default", SysvIpcSyscalls::msgget);
        t.add(SyscallNumbers.MSGSND, Support.FULL, "MSGMAX/MSGMNB as Linux's defaults; all queues together hold at most 64 MiB (then a send waits)",
                SysvIpcSyscalls::msgsnd);
        t.add(SyscallNumbers.MSGRCV, Support.FULL, "every msgtyp mode, MSG_EXCEPT, MSG_NOERROR, MSG_COPY", SysvIpcSyscalls::msgrcv);
        t.add(SyscallNumbers.MSGCTL, Support.FULL, "every command; IPC_INFO/MSG_INFO report Jux's limits", SysvIpcSyscalls::msgctl);
    }

    static final int MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;

    static long msgget(Task t, Args a) {
        return t.kernel().ipc().messageQueues().get(creds(t), a.i(0), a.i(1));
    }

    /** msgsnd(msqid, msgp, msgsz, msgflg): ksys_msgsnd reads mtype first (EFAULT), then do_msgsnd's EINVAL checks. */
    static long msgsnd(Task t, Args a) {
        int msqid = a.i(0), flags = a.i(3);
        long msgp = a.a1(), size = a.a2();
        long type = t.memory().readLong(msgp);
        if (Long.compareUnsigned(size, MessageQueues.MSGMAX) > 0 || msqid < 0) throw new LinuxException(Errno.EINVAL);
        if (type < 1) throw new LinuxException(Errno.EINVAL);
        byte[] text = t.memory().read(msgp + 8, (int) size);
        t.kernel().ipc().messageQueues().send(t, creds(t), t.group().pid(), msqid, new Message(type, text), flags);
        return 0;
    }

    /** msgrcv(msqid, msgp, msgsz, msgtyp, msgflg): the message's type, then as much text as fits; returns the text's length. */
    static long msgrcv(Task t, Args a) {
        int msqid = a.i(0), flags = a.i(4);
        long msgp = a.a1(), bufsz = a.a2(), type = a.a3();
        if (msqid < 0 || bufsz < 0) throw new LinuxException(Errno.EINVAL);
        Message m = t.kernel().ipc().messageQueues().receive(t, creds(t), t.tid(), msqid, bufsz, type, flags);
        int n = (int) Math.min(bufsz, m.size());
        t.memory().writeLong(msgp, m.type());
        t.memory().write(msgp + 8, m.text(), 0, n);
        return n;
    }

    static long msgctl(Task t, Args a) {
        int msqid = a.i(0), cmd = a.i(1);
        long arg = a.a2();
        MessageQueues queues = t.kernel().ipc().messageQueues();
        Credentials c = creds(t);
        UserMemory m = t.memory();
        if (msqid < 0 || cmd < 0) throw new LinuxException(Errno.EINVAL);   // ksys_msgctl
        switch (cmd) {
            case IPC_INFO, MSG_INFO -> {
                MessageQueues.Info i = queues.info(cmd == MSG_INFO);
                byte[] b = new byte[32];   // struct msginfo: seven ints and an unsigned short
                int[] fields = {i.msgpool(), i.msgmap(), i.msgmax(), i.msgmnb(), i.msgmni(), i.msgssz(), i.msgtql()};
                for (int k = 0; k < fields.length; k++) putInt(b, 4 * k, fields[k]);
                b[28] = (byte) i.msgseg();
                b[29] = (byte) (i.msgseg() >> 8);
                m.write(arg, b);
                return i.maxIndex();
            }
            case IPC_STAT, MSG_STAT, MSG_STAT_ANY -> {
                MessageQueues.Stat s = queues.stat(c, msqid, cmd != IPC_STAT, cmd != MSG_STAT_ANY);
                byte[] b = new byte[120];   // struct msqid64_ds
                putPerm(b, s.perm());
                putLong(b, 48, s.stime());
                putLong(b, 56, s.rtime());
                putLong(b, 64, s.ctime());
                putLong(b, 72, s.cbytes());
                putLong(b, 80, s.qnum());
                putLong(b, 88, s.qbytes());
                putInt(b, 96, s.lspid());
                putInt(b, 100, s.lrpid());
                m.write(arg, b);
                return cmd == IPC_STAT ? 0 : s.id();
            }
            case IPC_SET -> {
                byte[] b = m.read(arg, 120);
                queues.set(c, msqid, getInt(b, 4), getInt(b, 8), getInt(b, 20), getLong(b, 88));
                return 0;
            }
            case IPC_RMID -> {
                queues.remove(c, msqid);
                return 0;
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
    static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17,
            SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;

    private static Credentials creds(Task t) {
        return t.group().credentials();
    }

    static long semget(Task t, Args a) {
        return t.kernel().ipc().semaphores().get(creds(t), a.i(0), a.i(1), a.i(2));
    }

    static long semop(Task t, Args a) {
        return doSemop(t, a.i(0), a.a1(), a.a2() & 0xffffffffL, 0);
    }

    static long semtimedop(Task t, Args a) {
        return doSemop(t, a.i(0), a.a1(), a.a2() & 0xffffffffL, a.a3());
    }

    /** ipc/sem.c: do_semtimedop's argument checks: EINVAL for no operations or a negative id, E2BIG past SEMOPM, EFAULT, EINVAL for a bad timeout. */
    private static long doSemop(Task t, int semid, long sops, long nsopsArg, long timeout) {
        int nsops = (int) Math.min(nsopsArg, Integer.MAX_VALUE);
        if (nsopsArg < 1 || semid < 0) throw new LinuxException(Errno.EINVAL);
        if (nsops > Semaphores.SEMOPM) throw new LinuxException(Errno.E2BIG);
        byte[] raw = t.memory().read(sops, 6 * nsops);   // struct sembuf { u16 sem_num; s16 sem_op; s16 sem_flg; }
        SemOp[] ops = new SemOp[nsops];
        for (int i = 0; i < nsops; i++) {
            int o = 6 * i;
            ops[i] = new SemOp(u16(raw, o), (short) u16(raw, o + 2), (short) u16(raw, o + 4));
        }
        long deadline = Waiter.FOREVER;
        if (timeout != 0) {
            long sec = t.memory().readLong(timeout), nsec = t.memory().readLong(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new LinuxException(Errno.EINVAL);
            // A timeout beyond a century is as good as none (and keeps the deadline from overflowing).
            if (sec < 100L * 365 * 24 * 3600) deadline = System.nanoTime() + sec * 1_000_000_000L + nsec;
        }
        t.kernel().ipc().semaphores().op(t, creds(t), t.group().pid(), t.group(), semid, ops, deadline);
        return 0;
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    /** semctl(semid, semnum, cmd, arg): {@code arg} is a union passed by value, an int or a pointer. */
    static long semctl(Task t, Args a) {
        int semid = a.i(0), num = a.i(1), cmd = a.i(2);
        long arg = a.a3();
        Semaphores sems = t.kernel().ipc().semaphores();
        Credentials c = creds(t);
        UserMemory m = t.memory();
        int pid = t.group().pid();
        if (semid < 0) throw new LinuxException(Errno.EINVAL);   // ksys_semctl, before the command
        switch (cmd) {
            case IPC_INFO, SEM_INFO -> {
                Semaphores.Info i = sems.info(cmd == SEM_INFO);
                int[] fields = {i.semmap(), i.semmni(), i.semmns(), i.semmnu(), i.semmsl(), i.semopm(), i.semume(), i.semusz(), i.semvmx(), i.semaem()};
                byte[] b = new byte[40];
                for (int k = 0; k < fields.length; k++) putInt(b, 4 * k, fields[k]);
                m.write(arg, b);
                return i.maxIndex();
            }
            case IPC_STAT, SEM_STAT, SEM_STAT_ANY -> {
                Semaphores.Stat s = sems.stat(c, semid, cmd != IPC_STAT, cmd != SEM_STAT_ANY);
                byte[] b = new byte[104];   // struct semid64_ds
                putPerm(b, s.perm());
                putLong(b, 48, s.otime());
                putLong(b, 64, s.ctime());
                putLong(b, 80, s.nsems());
                m.write(arg, b);
                return cmd == IPC_STAT ? 0 : s.id();
            }
            case IPC_SET -> {
                byte[] b = m.read(arg, 104);
                sems.set(c, semid, getInt(b, 4), getInt(b, 8), getInt(b, 20));
                return 0;
            }
            case IPC_RMID -> {
                sems.remove(c, semid);
                return 0;
            }
            case GETVAL -> { return sems.query(c, semid, num, Semaphores.Query.GETVAL); }
            case GETPID -> { return sems.query(c, semid, num, Semaphores.Query.GETPID); }
            case GETNCNT -> { return sems.query(c, semid, num, Semaphores.Query.GETNCNT); }
            case GETZCNT -> { return sems.query(c, semid, num, Semaphores.Query.GETZCNT); }
            case SETVAL -> {
                sems.setValue(c, pid, semid, num, (int) arg);
                return 0;
            }
            case GETALL -> {
                short[] v = sems.getAll(c, semid);
                byte[] b = new byte[2 * v.length];
                for (int k = 0; k < v.length; k++) {
                    b[2 * k] = (byte) v[k];
                    b[2 * k + 1] = (byte) (v[k] >> 8);
                }
                m.write(arg, b);
                return 0;
            }
            case SETALL -> {
                int n = sems.size(c, semid, dev.jux.ipc.IpcPerm.WRITE);
                byte[] b = m.read(arg, 2 * n);
                short[] v = new short[n];
                for (int k = 0; k < n; k++) v[k] = (short) u16(b, 2 * k);
                sems.setAll(c, pid, semid, v);
                return 0;
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
    }

    /** struct ipc64_perm { key, uid, gid, cuid, cgid, mode (u32); u16 seq; ... } at the start of every *id64_ds. */
    static void putPerm(byte[] b, IpcPermView p) {
        putInt(b, 0, p.key());
        putInt(b, 4, p.uid());
        putInt(b, 8, p.gid());
        putInt(b, 12, p.cuid());
        putInt(b, 16, p.cgid());
        putInt(b, 20, p.mode());
        b[24] = (byte) p.seq();
        b[25] = (byte) (p.seq() >> 8);
    }

    static void putInt(byte[] b, int o, int v) {
        for (int k = 0; k < 4; k++) b[o + k] = (byte) (v >>> (8 * k));
    }

    static void putLong(byte[] b, int o, long v) {
        for (int k = 0; k < 8; k++) b[o + k] = (byte) (v >>> (8 * k));
    }

    static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    static long getLong(byte[] b, int o) {
        return (getInt(b, o) & 0xffffffffL) | (long) getInt(b, o + 4) << 32;
    }
}
