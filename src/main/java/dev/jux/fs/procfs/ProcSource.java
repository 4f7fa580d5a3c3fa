package dev.jux.fs.procfs;

import java.util.List;

/** What procfs asks the kernel (kernel/Kernel implements it and binds itself to its procfs mounts). */
public interface ProcSource {
    /** The process making the current system call; null when called from outside any process. */
    ProcessView current();

    /** The thread making the current system call (/proc/thread-self); its process's pid outside a task. */
    default int currentTid() {
        ProcessView p = current();
        return p == null ? 0 : p.pid();
    }

    /** The live process with this pid, or null. */
    ProcessView find(int pid);

    /** The live pids, ascending. */
    List<Integer> pids();

    /** The pid most recently handed out (/proc/loadavg). */
    int lastPid();

    /** The number of CPUs the guest sees (/proc/cpuinfo's processors). */
    default int cpus() {
        return 1;
    }

    long memoryTotalBytes();

    long memoryFreeBytes();

    long uptimeNanos();

    String hostname();

    String osRelease();

    /** uname's version field ("#1 SMP ..."). */
    String version();
}
