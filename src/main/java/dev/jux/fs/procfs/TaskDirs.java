package dev.jux.fs.procfs;

import dev.jux.fs.vfs.Inode;
import java.util.LinkedHashMap;
import java.util.function.Supplier;

/**
 * /proc/PID/task: one directory per live thread, named by its tid, with the process's files as
 * that thread sees them (proc_tid_base_stuff): stat and status carry the thread's id, state and
 * scheduling fields; the rest is the process's (Jux keeps comm, memory, files and cwd per process).
 */
final class TaskDirs {
    private TaskDirs() {}

    static LinkedHashMap<String, Supplier<Inode>> entries(ProcFs fs, int pid) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        ProcessView p = fs.source().find(pid);
        if (p == null) return e;
        for (ProcessView.ThreadInfo t : p.threadInfos()) e.put(Integer.toString(t.tid()), threadDir(fs, pid, t.tid()));
        return e;
    }

    static Supplier<Inode> threadDir(ProcFs fs, int pid, int tid) {
        String k = pid + "/task/" + tid + "/";
        Supplier<ProcessView> p = () -> fs.source().find(pid);
        return fs.owned(pid, fs.dir(pid + "/task/" + tid, 0555, () -> {
            LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
            if (p.get() == null || info(p, tid) == null) return e;
            e.put("cmdline", fs.owned(pid, fs.bytes(k + "cmdline", 0444, () -> ProcFs.view(p).commandLine())));
            e.put("comm", fs.owned(pid, fs.file(k + "comm", 0644, () -> ProcFiles.comm(ProcFs.view(p)) + "\n")));
            e.put("cwd", fs.owned(pid, fs.placeLink(k + "cwd", p, ProcessView::cwd)));
            e.put("environ", fs.owned(pid, fs.bytes(k + "environ", 0400, () -> ProcFs.view(p).environment())));
            e.put("exe", fs.owned(pid, fs.link(k + "exe", 0777, () -> ProcFs.view(p).executablePath())));
            e.put("fd", fs.fdDir(pid));
            e.put("maps", fs.owned(pid, fs.file(k + "maps", 0444, () -> ProcFiles.maps(ProcFs.view(p)))));
            e.put("mounts", fs.owned(pid, fs.file(k + "mounts", 0444, () -> ProcFiles.mounts(ProcFs.view(p), false))));
            e.put("root", fs.owned(pid, fs.placeLink(k + "root", p, ProcessView::root)));
            e.put("stat", fs.owned(pid, fs.file(k + "stat", 0444, () -> ProcessFiles.stat(ProcFs.view(p), live(p, tid),
                    fs.mayReadMemory(ProcFs.view(p)), dev.jux.abi.ResourceUsage.ticks(fs.source().uptimeNanos())))));
            e.put("status", fs.owned(pid, fs.file(k + "status", 0444, () -> ProcessFiles.status(ProcFs.view(p), live(p, tid), fs.source().cpuCount()))));
            return e;
        }));
    }

    private static ProcessView.ThreadInfo info(Supplier<ProcessView> p, int tid) {
        ProcessView v = p.get();
        if (v == null) return null;
        for (ProcessView.ThreadInfo t : v.threadInfos()) if (t.tid() == tid) return t;
        return null;
    }

    /** The thread's current fields; ESRCH once it has ended (a read of an open file of a dead thread). */
    private static ProcessView.ThreadInfo live(Supplier<ProcessView> p, int tid) {
        ProcessView.ThreadInfo t = info(p, tid);
        if (t == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
        return t;
    }
}
