package dev.jux.fs.procfs;

import dev.jux.abi.ResourceUsage;
import dev.jux.fs.FdTable;
import dev.jux.fs.vfs.Location;
import java.util.List;

/**
 * What /proc/PID shows of one process. kernel/ThreadGroup implements it; fs/ does not import
 * kernel/ or mm/ (layers point down), so the kernel hands its data over through this view.
 */
public interface ProcessView {
    int pid();

    int parentPid();

    /** The process group id (/proc/PID/stat field 5). */
    default int processGroup() {
        return pid();
    }

    /** The session id (/proc/PID/stat field 6). */
    default int session() {
        return pid();
    }

    /** The controlling terminal's device number, Linux's new_encode_dev form (/proc/PID/stat field 7); 0 if none. */
    default int terminalDevice() {
        return 0;
    }

    /** The foreground group of the controlling terminal (/proc/PID/stat field 8); -1 if none. */
    default int terminalForegroundGroup() {
        return -1;
    }

    /** The state letter: R running, S sleeping, T stopped, Z zombie. */
    default char state() {
        return 'R';
    }

    /** personality(2)'s value of the process's main thread (/proc/PID/personality). */
    default int personality() {
        return 0;
    }

    /** /proc/PID/oom_score_adj: -1000 (never chosen by the OOM killer) to 1000. */
    default int oomScoreAdj() {
        return 0;
    }

    /** /proc/PID/oom_adj: the legacy scale, -17 to 15. */
    default int oomAdj() {
        return 0;
    }

    /** /proc/PID/oom_score: the OOM killer's badness scaled to 0..1333 (0: never chosen). */
    default long oomScore() {
        return 0;
    }

    /**
     * A write of oom_score_adj (range already checked) or, if {@code legacy}, of oom_adj
     * (EINVAL out of -17..15); {@code privileged}: the writer has CAP_SYS_RESOURCE. EACCES when
     * an unprivileged writer lowers it below what a privileged one last set.
     */
    default void setOomScoreAdj(int value, boolean legacy, boolean privileged) {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EACCES);
    }

    /** Real, effective, saved and file-system uid. */
    int[] uids();

    /** Real, effective, saved and file-system gid. */
    int[] gids();

    /** Linux's get_dumpable() == SUID_DUMP_USER: if not, the process's /proc files belong to root. */
    default boolean dumpable() {
        return true;
    }

    /** The supplementary groups, ascending. */
    default int[] groups() {
        return new int[0];
    }

    /** argv, each string followed by a NUL (/proc/PID/cmdline). */
    byte[] commandLine();

    /** The auxiliary vector the program started with (auxv pairs up to AT_NULL), empty if unknown. */
    default byte[] auxv() {
        return new byte[0];
    }

    /** The environment as the process got it, each string followed by a NUL. */
    byte[] environment();

    /** The command name (/proc/PID/comm): the executable's base name, or what prctl(PR_SET_NAME) set. */
    String comm();

    /** A write to /proc/PID/comm from the same process: the new name, cut to 15 bytes. */
    default void setComm(byte[] name) {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EINVAL);
    }

    /** The executable's path in the guest's tree (/proc/PID/exe); null if unknown. */
    String executablePath();

    Location cwd();

    Location root();

    int umask();

    /** The memory areas, in address order (/proc/PID/maps). */
    List<Mapping> mappings();

    /** Each memory area with its memory use, in address order (/proc/PID/smaps). */
    default List<MappingUsage> mappingUsage() {
        return List.of();
    }

    /** Bytes of mlock'ed areas (VmLck). */
    default long lockedBytes() {
        return 0;
    }

    /**
     * One area's memory use in bytes, as smaps shows it, and its VmFlags mnemonics
     * ("rd wr mr mw me ac").
     */
    record MappingUsage(Mapping mapping, long rss, long pss, long sharedClean, long sharedDirty, long privateClean,
                        long privateDirty, long anonymous, long locked, String vmFlags) {
    }

    /** Pages of the address space that have a frame (VmRSS). */
    long residentPages();

    FdTable files();

    int threads();

    /** When the process was made (fork; exec keeps it), in nanoseconds since the kernel booted (stat field 22). */
    default long startNanos() {
        return 0;
    }

    /** CPU time, faults and context switches of the process's threads, live and ended (stat fields 10, 12, 14, 15). */
    default ResourceUsage usage() {
        return ResourceUsage.ZERO;
    }

    /** What its reaped children used (stat fields 11, 13, 16, 17). */
    default ResourceUsage childrenUsage() {
        return ResourceUsage.ZERO;
    }

    /** The peak resident set in kB as sampled so far (VmHWM; the current set counts too). */
    default long peakRssKb() {
        return 0;
    }

    /** The signal the parent gets at exit (stat field 38). */
    default int exitSignal() {
        return 17;
    }

    /** False until the process's first execve (Linux's PF_FORKNOEXEC in stat's flags). */
    default boolean hasExeced() {
        return true;
    }

    /** prctl(PR_SET_NO_NEW_PRIVS) was set. */
    default boolean noNewPrivs() {
        return false;
    }

    /** Soft and hard resource limits, RLIM_NLIMITS of each (/proc/PID/limits); null if unknown. */
    default long[][] resourceLimits() {
        return null;
    }

    /** The signal state /proc/PID/status shows (the leader thread's mask and pending set). */
    default Signals signals() {
        return new Signals(0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Signal sets as 64-bit masks (bit n-1 for signal n): pending for the thread, pending for the
     * process, blocked, ignored, caught; the queued count and its limit (SigQ).
     */
    record Signals(long threadPending, long sharedPending, long blocked, long ignored, long caught, int queued, long queueLimit) {}

    /**
     * One thread's own fields, for /proc/PID/task/TID and (the leader's) /proc/PID: its id, state
     * letter, /proc stat priority and nice, real-time priority, policy, and the CPU it last ran on.
     */
    /** {@code affinity}: the CPUs the thread may run on, one bit each (its mask within the online CPUs). */
    /** The pid of the process tracing thread {@code tid} (ptrace), 0 if none (status's TracerPid). */
    default int tracerPid(int tid) {
        return 0;
    }

    record ThreadInfo(int tid, char state, int priority, int nice, int rtPriority, int policy, int processor, long affinity) {
        /** What a thread Jux knows nothing more about shows: SCHED_OTHER at nice 0 on CPU 0, any CPU. */
        public static ThreadInfo plain(int tid, char state) {
            return new ThreadInfo(tid, state, 20, 0, 0, 0, 0, -1L);
        }
    }

    /** The live threads, the leader first if it lives; empty for a zombie. */
    default List<ThreadInfo> threadInfos() {
        return List.of();
    }

    /**
     * One memory area: [start, end), PROT_* bits, shared or private, the offset in its file,
     * the file's device (st_dev encoding) and inode (0 for anonymous memory), its label
     * ("[heap]", a path, or "").
     */
    record Mapping(long start, long end, int prot, boolean shared, long offset, long device, long inode, String name) {
        /** An area without a file. */
        public Mapping(long start, long end, int prot, boolean shared, long offset, String name) {
            this(start, end, prot, shared, offset, 0, 0, name);
        }
    }
}
