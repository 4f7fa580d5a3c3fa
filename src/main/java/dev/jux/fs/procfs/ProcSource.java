package dev.jux.fs.procfs;

import dev.jux.abi.ResourceUsage;
import java.util.List;

/** What procfs asks the kernel (kernel/Kernel implements it and binds itself to its procfs mounts). */
public interface ProcSource {
    /** A file system that shows what the kernel holds (procfs, sysfs): {@link ProcFs#bindAll} connects it to its kernel. */
    interface Bound {
        void bind(ProcSource source);
    }

    /** The process making the current system call; null when called from outside any process. */
    ProcessView current();

    /** The thread making the current system call (/proc/thread-self); its process's pid outside a task. */
    default int currentTid() {
        ProcessView p = current();
        return p == null ? 0 : p.pid();
    }

    /** The live process with this pid, or null. */
    ProcessView find(int pid);

    /** The pid of the process a live thread {@code tid} belongs to, or 0 if no thread has it. */
    default int processOfThread(int tid) {
        return find(tid) != null ? tid : 0;
    }

    /** The live pids, ascending. */
    List<Integer> pids();

    /** The pid most recently handed out (/proc/loadavg). */
    int lastPid();

    long memoryTotalBytes();

    long memoryFreeBytes();

    long uptimeNanos();

    String hostname();

    /** sethostname(2) semantics for a write to /proc/sys/kernel/hostname (the VFS already checked the caller). */
    default void setHostname(byte[] name) {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EACCES);
    }

    /** The NIS domain name (uname's domainname, /proc/sys/kernel/domainname). */
    default String domainname() {
        return "(none)";
    }

    default void setDomainname(byte[] name) {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EACCES);
    }

    /** The number of CPUs the guest sees (/proc/cpuinfo, /sys/devices/system/cpu, /proc/stat's cpuN lines). */
    default int cpuCount() {
        return 1;
    }

    /** CPU time used by every thread since boot, live and ended; voluntarySwitches counts context switches (/proc/stat). */
    default ResourceUsage cpuUsage() {
        return ResourceUsage.ZERO;
    }

    /** Threads that are running or ready to run now (procs_running, loadavg). */
    default int runnableTasks() {
        return 1;
    }

    /** Live threads in all processes (loadavg's second number after the slash, sysinfo's procs). */
    default int taskCount() {
        return pids().size();
    }

    /** The 1, 5 and 15 minute load averages in fixed point with 11 fraction bits (Linux's avenrun). */
    default long[] loadAverages() {
        return new long[3];
    }

    String osRelease();

    /** The System V IPC objects (/proc/sysvipc); null: none. */
    default dev.jux.ipc.IpcNamespace ipc() {
        return null;
    }

    /** uname's version field ("#1 SMP ..."). */
    String version();
}
