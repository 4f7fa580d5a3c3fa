package dev.jux.fs.procfs;

import dev.jux.ipc.IpcNamespace;
import dev.jux.ipc.IpcPermView;
import dev.jux.ipc.MessageQueues;
import dev.jux.ipc.Semaphores;
import dev.jux.ipc.SharedMemory;

/** /proc/sysvipc/sem, msg and shm: one line per object, in Linux's columns (ipc/sem.c: sysvipc_sem_proc_show, ipc/msg.c: sysvipc_msg_proc_show, ipc/shm.c: sysvipc_shm_proc_show). */
final class SysvIpcFiles {
    private SysvIpcFiles() {}

    static String sem(IpcNamespace ns) {
        StringBuilder b = new StringBuilder("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
        if (ns == null) return b.toString();
        for (Semaphores.Stat s : ns.semaphores().statAll()) {
            IpcPermView p = s.perm();
            b.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n", p.key(), s.id(), p.mode(), s.nsems(),
                    u(p.uid()), u(p.gid()), u(p.cuid()), u(p.cgid()), s.otime(), s.ctime()));
        }
        return b.toString();
    }

    static String msg(IpcNamespace ns) {
        StringBuilder b = new StringBuilder(
                "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n");
        if (ns == null) return b.toString();
        for (MessageQueues.Stat s : ns.messageQueues().statAll()) {
            IpcPermView p = s.perm();
            b.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n", p.key(), s.id(), p.mode(),
                    s.cbytes(), s.qnum(), s.lspid(), s.lrpid(), u(p.uid()), u(p.gid()), u(p.cuid()), u(p.cgid()),
                    s.stime(), s.rtime(), s.ctime()));
        }
        return b.toString();
    }

    /** ipc/shm.c: sysvipc_shm_proc_show; rss and swap in bytes. */
    static String shm(IpcNamespace ns) {
        StringBuilder b = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid"
                + "      atime      dtime      ctime                   rss                  swap\n");
        if (ns == null) return b.toString();
        for (var e : ns.sharedMemory().statAll()) {
            SharedMemory.Stat s = e.getKey();
            IpcPermView p = s.perm();
            b.append(String.format("%10d %10d  %4o %21s %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n", p.key(), s.id(), p.mode(),
                    Long.toUnsignedString(s.segsz()), s.cpid(), s.lpid(), s.nattch(), u(p.uid()), u(p.gid()), u(p.cuid()), u(p.cgid()),
                    s.atime(), s.dtime(), s.ctime(), e.getValue() * 4096, 0));
        }
        return b.toString();
    }

    private static long u(int id) {
        return id & 0xffffffffL;
    }
}
