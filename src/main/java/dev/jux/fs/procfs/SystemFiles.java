package dev.jux.fs.procfs;

import dev.jux.abi.ResourceUsage;

/**
 * The system-wide /proc files in Linux's formats: stat (fs/proc/stat.c), meminfo, uptime,
 * loadavg. Time is the kernel's: it booted when Jux's kernel was made (uptime counts from there
 * and btime is that instant), and CPU time is what the host threads running the tasks used.
 */
final class SystemFiles {
    private SystemFiles() {}

    /** The instant the kernel booted, in seconds since the epoch (/proc/stat's btime). */
    static long bootTimeSeconds(ProcSource s) {
        return (System.currentTimeMillis() * 1_000_000L - s.uptimeNanos()) / 1_000_000_000L;
    }

    /** Idle time in nanoseconds over all CPUs: what the CPUs had since boot minus what the tasks used. */
    static long idleNanos(ProcSource s, ResourceUsage used) {
        return Math.max(0, s.uptimeNanos() * Math.max(1, s.cpuCount()) - used.userNanos() - used.systemNanos());
    }

    /**
     * /proc/stat: a "cpu" line with the totals and one "cpuN" line per CPU (the time split evenly,
     * as Jux does not track which CPU ran what), in clock ticks: user nice system idle iowait irq
     * softirq steal guest guest_nice; then interrupts (none counted), context switches, btime,
     * forks since boot, running and blocked threads, softirqs.
     */
    static String stat(ProcSource s) {
        ResourceUsage used = s.cpuUsage();
        int cpus = Math.max(1, s.cpuCount());
        long user = used.userTicks(), system = used.systemTicks(), idle = ResourceUsage.ticks(idleNanos(s, used));
        StringBuilder sb = new StringBuilder();
        cpuLine(sb, "cpu ", user, system, idle);
        for (int c = 0; c < cpus; c++) {
            cpuLine(sb, "cpu" + c, share(user, cpus, c), share(system, cpus, c), share(idle, cpus, c));
        }
        sb.append("intr 0\n");
        sb.append("ctxt ").append(used.voluntarySwitches() + used.involuntarySwitches()).append('\n');
        sb.append("btime ").append(bootTimeSeconds(s)).append('\n');
        sb.append("processes ").append(s.lastPid()).append('\n');
        sb.append("procs_running ").append(Math.max(1, s.runnableTasks())).append('\n');
        sb.append("procs_blocked 0\n");
        sb.append("softirq 0 0 0 0 0 0 0 0 0 0 0\n");
        return sb.toString();
    }

    /** CPU {@code c}'s part of {@code total} split over {@code n} CPUs (the parts add up to the total). */
    private static long share(long total, int n, int c) {
        return total / n + (c < total % n ? 1 : 0);
    }

    private static void cpuLine(StringBuilder sb, String name, long user, long system, long idle) {
        sb.append(name).append(' ').append(user).append(" 0 ").append(system).append(' ').append(idle).append(" 0 0 0 0 0 0\n");
    }

    /**
     * meminfo: MemTotal is the guest's RAM (--memory); MemFree what no frame uses; the kernel's
     * own reserved area and every frame handed out count as used (AnonPages, as Jux does not
     * split page cache from anonymous memory). No swap, no huge pages.
     */
    static String meminfo(ProcSource s) {
        long total = s.memoryTotalBytes() / 1024, free = s.memoryFreeBytes() / 1024, used = total - free;
        String[][] rows = {
                {"MemTotal", "" + total}, {"MemFree", "" + free}, {"MemAvailable", "" + free},
                {"Buffers", "0"}, {"Cached", "0"}, {"SwapCached", "0"}, {"Active", "" + used}, {"Inactive", "0"},
                {"Active(anon)", "" + used}, {"Inactive(anon)", "0"}, {"Active(file)", "0"}, {"Inactive(file)", "0"},
                {"Unevictable", "0"}, {"Mlocked", "0"},
                {"SwapTotal", "0"}, {"SwapFree", "0"}, {"Zswap", "0"}, {"Zswapped", "0"}, {"Dirty", "0"}, {"Writeback", "0"},
                {"AnonPages", "" + used}, {"Mapped", "0"}, {"Shmem", "0"}, {"KReclaimable", "0"}, {"Slab", "0"},
                {"SReclaimable", "0"}, {"SUnreclaim", "0"}, {"KernelStack", "0"}, {"PageTables", "0"},
                {"SecPageTables", "0"}, {"NFS_Unstable", "0"}, {"Bounce", "0"}, {"WritebackTmp", "0"},
                {"CommitLimit", "" + total}, {"Committed_AS", "" + used},
                {"VmallocTotal", "34359738367"}, {"VmallocUsed", "0"}, {"VmallocChunk", "0"}, {"Percpu", "0"},
                {"HardwareCorrupted", "0"}, {"AnonHugePages", "0"}, {"ShmemHugePages", "0"}, {"ShmemPmdMapped", "0"},
                {"FileHugePages", "0"}, {"FilePmdMapped", "0"},
        };
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) sb.append(String.format("%-16s%8s kB\n", r[0] + ":", r[1]));
        sb.append(String.format("%-16s%8d\n%-16s%8d\n%-16s%8d\n%-16s%8d\n", "HugePages_Total:", 0, "HugePages_Free:", 0,
                "HugePages_Rsvd:", 0, "HugePages_Surp:", 0));
        sb.append(String.format("%-16s%8d kB\n%-16s%8d kB\n", "Hugepagesize:", 2048, "Hugetlb:", 0));
        return sb.toString();
    }

    /** uptime: seconds since boot and idle seconds summed over the CPUs, both with two decimals. */
    static String uptime(ProcSource s) {
        long up = s.uptimeNanos() / 10_000_000L, idle = idleNanos(s, s.cpuUsage()) / 10_000_000L;
        return String.format("%d.%02d %d.%02d\n", up / 100, up % 100, idle / 100, idle % 100);
    }

    /** loadavg: the three averages, running/total threads, the last pid handed out. */
    static String loadavg(ProcSource s) {
        long[] l = s.loadAverages();
        StringBuilder sb = new StringBuilder();
        for (long v : l) {
            // LOAD_INT / LOAD_FRAC after adding FIXED_1/200 for rounding, as fs/proc/loadavg.c.
            long x = v + (1L << 11) / 200;
            sb.append(x >> 11).append('.').append(String.format("%02d", ((x & ((1L << 11) - 1)) * 100) >> 11)).append(' ');
        }
        return sb.append(Math.max(1, s.runnableTasks())).append('/').append(s.taskCount()).append(' ').append(s.lastPid()).append('\n').toString();
    }
}
