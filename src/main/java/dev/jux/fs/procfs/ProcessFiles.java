package dev.jux.fs.procfs;

import dev.jux.abi.ResourceUsage;
import dev.jux.abi.Rlimit;
import dev.jux.fs.File;
import dev.jux.fs.vfs.VfsFile;

/**
 * The per-process files that describe the process as a whole, in Linux's formats:
 * /proc/PID/stat (fs/proc/array.c do_task_stat), statm, status (proc_pid_status), limits
 * (proc_pid_limits) and fdinfo/N (fs/proc/fd.c seq_show).
 */
final class ProcessFiles {
    private ProcessFiles() {}

    private static final long PAGE = 4096;
    /** PF_EXITING, PF_FORKNOEXEC, PF_RANDOMIZE (include/linux/sched.h). */
    static final int PF_EXITING = 0x4, PF_FORKNOEXEC = 0x40, PF_RANDOMIZE = 0x400000;
    /** Every capability up to CAP_LAST_CAP (40), as root holds them. */
    static final long ALL_CAPABILITIES = dev.jux.abi.Capabilities.ALL;
    private static final String UNLIMITED = "unlimited";

    /** The memory figures /proc/PID/stat, statm and status derive from the mappings, in bytes. */
    record Memory(long size, long data, long stack, long exe, long lib, long codeStart, long codeEnd,
            long dataStart, long dataEnd, long brkStart, long stackEnd) {
        static Memory of(ProcessView p) {
            long size = 0, data = 0, stack = 0, exe = 0, lib = 0, codeStart = 0, codeEnd = 0, dataStart = 0, dataEnd = 0, brk = 0, stackEnd = 0;
            String exePath = p.executablePath();
            for (ProcessView.Mapping m : p.mappings()) {
                long len = m.end() - m.start();
                size += len;
                boolean write = (m.prot() & 2) != 0, execute = (m.prot() & 4) != 0;
                boolean isStack = "[stack]".equals(m.name());
                boolean ofExe = exePath != null && exePath.equals(m.name());
                // Linux's counters: stack_vm (VM_STACK), data_vm (private writable, not stack), exec_vm (executable, not writable).
                if (isStack) {
                    stack += len;
                    stackEnd = m.end();
                } else if (write && !m.shared()) {
                    data += len;
                }
                if (execute && !write) {
                    if (ofExe) {
                        exe += len;
                        if (codeStart == 0) codeStart = m.start();
                        codeEnd = m.end();
                    } else {
                        lib += len;
                    }
                }
                if (ofExe && write && dataStart == 0) {
                    dataStart = m.start();
                    dataEnd = m.end();
                }
                if ("[heap]".equals(m.name()) && brk == 0) brk = m.start();
            }
            if (brk == 0) brk = dataEnd;
            return new Memory(size, data, stack, exe, lib, codeStart, codeEnd, dataStart, dataEnd, brk, stackEnd);
        }
    }

    /** The leader's own fields for the process files (a default when it is gone). */
    static ProcessView.ThreadInfo leader(ProcessView p) {
        for (ProcessView.ThreadInfo t : p.threadInfos()) if (t.tid() == p.pid()) return t;
        return ProcessView.ThreadInfo.plain(p.pid(), p.state());
    }

    /** The process's state for its own files (zombie, stopped...); a thread's own otherwise (/proc/PID/task/TID). */
    private static char state(ProcessView p, ProcessView.ThreadInfo t) {
        return t.tid() == p.pid() ? p.state() : t.state();
    }

    /** A process without an address space (a zombie): Linux leaves out the memory figures. */
    private static boolean hasMemory(ProcessView p) {
        return p.state() != 'Z';
    }

    /**
     * /proc/PID/stat: the 52 fields. The code, data, stack and argument addresses are shown only
     * to a caller allowed to read the process's memory (Linux's ptrace_may_access check), as
     * in Linux; argument and environment addresses are not recorded by Jux and read 0.
     */
    static String stat(ProcessView p, ProcessView.ThreadInfo t, boolean permitted, long ticksNow) {
        boolean mm = hasMemory(p);
        Memory mem = mm ? Memory.of(p) : new Memory(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        ResourceUsage self = p.usage(), kids = p.childrenUsage();
        ProcessView.Signals sig = p.signals();
        long[][] limits = p.resourceLimits();
        long rssLimit = limits == null ? -1 : limits[0][Rlimit.RLIMIT_RSS];
        int flags = PF_RANDOMIZE | (p.hasExeced() ? 0 : PF_FORKNOEXEC) | (p.state() == 'Z' ? PF_EXITING : 0);
        long start = Math.min(ResourceUsage.ticks(p.startNanos()), ticksNow);
        StringBuilder sb = new StringBuilder(256);
        sb.append(t.tid()).append(" (").append(ProcFiles.comm(p)).append(") ").append(state(p, t));
        append(sb, p.parentPid(), p.processGroup(), p.session(), p.terminalDevice(), p.terminalForegroundGroup());
        append(sb, flags, self.minorFaults(), kids.minorFaults(), self.majorFaults(), kids.majorFaults());
        append(sb, self.userTicks(), self.systemTicks(), kids.userTicks(), kids.systemTicks());
        append(sb, t.priority(), t.nice(), p.threads(), 0, start);
        sb.append(' ').append(mem.size()).append(' ').append(mm ? p.residentPages() : 0).append(' ').append(Long.toUnsignedString(rssLimit));
        append(sb, mm ? (permitted ? mem.codeStart() : 1) : 0, mm ? (permitted ? mem.codeEnd() : 1) : 0,
                permitted && mm ? mem.stackEnd() : 0, 0, 0);   // startcode endcode startstack kstkesp kstkeip
        // signal blocked sigignore sigcatch: decimal, the first 31 signals only (the old ABI).
        append(sb, sig.threadPending() & 0x7fffffffL, sig.blocked() & 0x7fffffffL, sig.ignored() & 0x7fffffffL, sig.caught() & 0x7fffffffL);
        append(sb, state(p, t) == 'S' ? 1 : 0, 0, 0, p.exitSignal(), t.processor(), t.rtPriority(), t.policy(), 0, 0, 0);   // wchan .. cguest_time
        if (mm && permitted) append(sb, mem.dataStart(), mem.dataEnd(), mem.brkStart(), 0, 0, 0, 0);
        else sb.append(" 0 0 0 0 0 0 0");
        sb.append(" 0\n");   // exit_code
        return sb.toString();
    }

    private static void append(StringBuilder sb, long... values) {
        for (long v : values) sb.append(' ').append(v);
    }

    /** /proc/PID/statm: size resident shared text lib data dt, in pages (lib and dt are always 0 since Linux 2.6). */
    static String statm(ProcessView p) {
        if (!hasMemory(p)) return "0 0 0 0 0 0 0\n";
        Memory mem = Memory.of(p);
        // Jux does not count resident pages per kind, so "shared" (resident file and shmem pages) is 0.
        return mem.size() / PAGE + " " + p.residentPages() + " 0 " + mem.exe() / PAGE + " 0 " + (mem.data() + mem.stack()) / PAGE + " 0\n";
    }

    static String status(ProcessView p, ProcessView.ThreadInfo t, int cpus) {
        int[] u = p.uids(), g = p.gids();
        ProcessView.Signals sig = p.signals();
        ResourceUsage self = p.usage();
        StringBuilder sb = new StringBuilder(1024);
        sb.append("Name:\t").append(escapeName(ProcFiles.comm(p))).append('\n');
        sb.append(String.format("Umask:\t%04o\n", p.umask()));
        sb.append("State:\t").append(stateName(state(p, t))).append('\n');
        sb.append("Tgid:\t").append(p.pid()).append("\nNgid:\t0\nPid:\t").append(t.tid())
                .append("\nPPid:\t").append(p.parentPid()).append("\nTracerPid:\t").append(p.tracerPid(t.tid())).append('\n');
        sb.append("Uid:\t").append(ids(u)).append("\nGid:\t").append(ids(g)).append('\n');
        sb.append("FDSize:\t").append(fdSize(p)).append('\n');
        sb.append("Groups:\t").append(groupList(p.groups())).append(" \n");
        sb.append("NStgid:\t").append(p.pid()).append("\nNSpid:\t").append(t.tid())
                .append("\nNSpgid:\t").append(p.processGroup()).append("\nNSsid:\t").append(p.session()).append('\n');
        sb.append("Kthread:\t0\n");
        if (hasMemory(p)) {
            Memory mem = Memory.of(p);
            long rssKb = p.residentPages() * PAGE / 1024;
            kb(sb, "VmPeak", mem.size() / 1024);
            kb(sb, "VmSize", mem.size() / 1024);
            kb(sb, "VmLck", p.lockedBytes() / 1024);
            kb(sb, "VmPin", 0);
            kb(sb, "VmHWM", Math.max(rssKb, p.peakRssKb()));
            kb(sb, "VmRSS", rssKb);
            kb(sb, "RssAnon", rssKb);
            kb(sb, "RssFile", 0);
            kb(sb, "RssShmem", 0);
            kb(sb, "VmData", mem.data() / 1024);
            kb(sb, "VmStk", mem.stack() / 1024);
            kb(sb, "VmExe", mem.exe() / 1024);
            kb(sb, "VmLib", mem.lib() / 1024);
            kb(sb, "VmPTE", 0);
            kb(sb, "VmSwap", 0);
            kb(sb, "HugetlbPages", 0);
        }
        sb.append("CoreDumping:\t0\n");
        if (hasMemory(p)) sb.append("THP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\n");
        sb.append("Threads:\t").append(p.threads()).append('\n');
        sb.append("SigQ:\t").append(sig.queued()).append('/').append(Long.toUnsignedString(sig.queueLimit())).append('\n');
        mask(sb, "SigPnd", sig.threadPending());
        mask(sb, "ShdPnd", sig.sharedPending());
        mask(sb, "SigBlk", sig.blocked());
        mask(sb, "SigIgn", sig.ignored());
        mask(sb, "SigCgt", sig.caught());
        // Capabilities follow the effective uid, as Linux's for a process without file capabilities.
        long caps = u[1] == 0 ? ALL_CAPABILITIES : 0;
        mask(sb, "CapInh", 0);
        mask(sb, "CapPrm", u[0] == 0 || u[1] == 0 || u[2] == 0 ? ALL_CAPABILITIES : 0);
        mask(sb, "CapEff", caps);
        mask(sb, "CapBnd", ALL_CAPABILITIES);
        mask(sb, "CapAmb", 0);
        sb.append("NoNewPrivs:\t").append(p.noNewPrivs() ? 1 : 0).append('\n');
        sb.append("Seccomp:\t0\nSeccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tvulnerable\nSpeculationIndirectBranch:\talways enabled\n");
        long allowed = t.affinity() & onlineMask(cpus);
        sb.append("Cpus_allowed:\t").append(cpuMask(allowed, cpus)).append('\n');
        sb.append("Cpus_allowed_list:\t").append(cpuList(allowed)).append('\n');
        sb.append("Mems_allowed:\t00000001\nMems_allowed_list:\t0\n");
        sb.append("voluntary_ctxt_switches:\t").append(self.voluntarySwitches()).append('\n');
        sb.append("nonvoluntary_ctxt_switches:\t").append(self.involuntarySwitches()).append('\n');
        return sb.toString();
    }

    /** Linux's FDSize: the fd table's capacity, which starts at 64 and doubles. */
    private static int fdSize(ProcessView p) {
        var files = p.files().snapshot();
        int highest = files.isEmpty() ? 0 : files.lastKey() + 1;
        int size = 64;
        while (size < highest) size *= 2;
        return size;
    }

    static long onlineMask(int cpus) {
        return cpus >= 64 ? -1L : (1L << Math.max(cpus, 1)) - 1;
    }

    /**
     * A CPU bitmap as Linux prints it ("%*pb" over nr_cpu_ids bits): hex, 32-bit groups
     * separated by commas, the first group only as wide as it needs to be.
     */
    static String cpuMask(long mask, int cpus) {
        StringBuilder sb = new StringBuilder();
        for (int group = (Math.max(cpus, 1) - 1) / 32; group >= 0; group--) {
            long word = group >= 2 ? 0 : (mask >>> (32 * group)) & 0xffffffffL;
            if (sb.length() > 0) {
                sb.append(',').append(String.format("%08x", word));
            } else {
                int digits = (Math.min(Math.max(cpus, 1) - 32 * group, 32) + 3) / 4;
                sb.append(String.format("%0" + digits + "x", word));
            }
        }
        return sb.toString();
    }

    /** A CPU list as Linux prints it ("%*pbl"): ranges such as "0-3,6". */
    static String cpuList(long mask) {
        StringBuilder sb = new StringBuilder();
        for (int cpu = 0; cpu < 64; cpu++) {
            if ((mask & (1L << cpu)) == 0) continue;
            int last = cpu;
            while (last < 63 && (mask & (1L << (last + 1))) != 0) last++;
            if (sb.length() > 0) sb.append(',');
            sb.append(cpu);
            if (last > cpu) sb.append('-').append(last);
            cpu = last;
        }
        return sb.toString();
    }

    /** proc_task_name's escaping for status: backslash and newline are written as \\ and \n. */
    private static String escapeName(String name) {
        return name.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void kb(StringBuilder sb, String name, long kb) {
        sb.append(name).append(":\t").append(String.format("%8d", kb)).append(" kB\n");
    }

    private static void mask(StringBuilder sb, String name, long mask) {
        sb.append(name).append(":\t").append(String.format("%016x", mask)).append('\n');
    }

    private static String groupList(int[] groups) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < groups.length; k++) sb.append(k == 0 ? "" : " ").append(Integer.toUnsignedString(groups[k]));
        return sb.toString();
    }

    private static String ids(int[] v) {
        return Integer.toUnsignedString(v[0]) + "\t" + Integer.toUnsignedString(v[1]) + "\t" + Integer.toUnsignedString(v[2]) + "\t" + Integer.toUnsignedString(v[3]);
    }

    static String stateName(char state) {
        return switch (state) {
            case 'S' -> "S (sleeping)";
            case 'T' -> "T (stopped)";
            case 't' -> "t (tracing stop)";
            case 'Z' -> "Z (zombie)";
            default -> "R (running)";
        };
    }

    private static final String[][] LIMIT_NAMES = {
        {"Max cpu time", "seconds"}, {"Max file size", "bytes"}, {"Max data size", "bytes"},
        {"Max stack size", "bytes"}, {"Max core file size", "bytes"}, {"Max resident set", "bytes"},
        {"Max processes", "processes"}, {"Max open files", "files"}, {"Max locked memory", "bytes"},
        {"Max address space", "bytes"}, {"Max file locks", "locks"}, {"Max pending signals", "signals"},
        {"Max msgqueue size", "bytes"}, {"Max nice priority", null}, {"Max realtime priority", null},
        {"Max realtime timeout", "us"},
    };

    static String limits(ProcessView p) {
        long[][] l = p.resourceLimits();
        StringBuilder sb = new StringBuilder(String.format("%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units"));
        if (l == null) return sb.toString();
        for (int r = 0; r < Rlimit.RLIM_NLIMITS; r++) {
            sb.append(String.format("%-25s %-20s %-20s ", LIMIT_NAMES[r][0], limit(l[0][r]), limit(l[1][r])));
            if (LIMIT_NAMES[r][1] != null) sb.append(String.format("%-10s", LIMIT_NAMES[r][1]));
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String limit(long v) {
        return v == Rlimit.RLIM64_INFINITY ? UNLIMITED : Long.toUnsignedString(v);
    }

    /** fdinfo/N: the file offset, the open flags in octal (O_CLOEXEC added for a close-on-exec fd), the mount id and inode, then the file's own lines. */
    static String fdinfo(File f, boolean closeOnExec, int mountId) {
        long pos = 0;
        long ino = 0;
        try {
            pos = f.seek(0, dev.jux.abi.SeekWhence.SEEK_CUR);
        } catch (dev.jux.abi.LinuxException e) {
            // pipes and other unseekable files show 0
        }
        try {
            ino = f.stat().ino();
        } catch (dev.jux.abi.LinuxException e) {
            // no inode to show
        }
        int flags = f.statusFlags() | (closeOnExec ? dev.jux.abi.OpenFlags.O_CLOEXEC : 0);
        return "pos:\t" + pos + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t" + mountId + "\nino:\t" + ino + "\n"
                + f.fdinfo();
    }

    /** The id of the mount a file lives on (fdinfo's mnt_id); pipes and host streams are on no mount Jux shows. */
    static int mountId(File f) {
        return f instanceof VfsFile v && v.location() != null ? v.location().mount().id() : 0;
    }
}
