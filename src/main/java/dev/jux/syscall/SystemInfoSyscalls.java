package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.ResourceUsage;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Kernel;
import dev.jux.kernel.Task;
import dev.jux.kernel.ThreadGroup;
import dev.jux.kernel.UtsName;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The system's names and figures: sethostname, setdomainname, sysinfo, times, getrusage. CPU
 * times are the host threads' (kernel/TaskUsage), memory the guest RAM's.
 */
final class SystemInfoSyscalls {
    private SystemInfoSyscalls() {}

    static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    /** sizeof(struct sysinfo) on x86-64. */
    static final int SYSINFO_SIZE = 112;
    /** SI_LOAD_SHIFT: sysinfo's loads have 16 fraction bits. */
    static final int SI_LOAD_SHIFT = 16;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SETHOSTNAME, Support.FULL, "CAP_SYS_ADMIN (euid 0) only; shown by uname and /proc/sys/kernel/hostname", SystemInfoSyscalls::sethostname);
        t.add(SyscallNumbers.SETDOMAINNAME, Support.FULL, "as sethostname", SystemInfoSyscalls::setdomainname);
        t.add(SyscallNumbers.SYSINFO, Support.FULL, "uptime since Jux booted, guest RAM, lazily computed load averages, no swap", SystemInfoSyscalls::sysinfo);
        t.add(SyscallNumbers.TIMES, Support.FULL, "CPU times of the host threads that run the tasks (user = host user time, guest mode included)", SystemInfoSyscalls::times);
        t.add(SyscallNumbers.GETRUSAGE, Support.FULL, "utime/stime, maxrss (sampled at exit, exec and getrusage), minflt, nvcsw; majflt and nivcsw 0", SystemInfoSyscalls::getrusage);
    }

    static long sethostname(Task t, Args a) {
        byte[] name = utsArgument(t, a);
        t.group().uts().update(u -> u.withNodename(UtsName.field(name)));
        return 0;
    }

    static long setdomainname(Task t, Args a) {
        byte[] name = utsArgument(t, a);
        t.group().uts().update(u -> u.withDomainname(UtsName.field(name)));
        return 0;
    }

    /** Linux's order: EPERM without CAP_SYS_ADMIN, then EINVAL for len < 0 or > 64, then EFAULT. */
    private static byte[] utsArgument(Task t, Args a) {
        if (!t.group().credentials().isRoot()) throw new LinuxException(Errno.EPERM);
        int len = a.i(1);
        if (len < 0 || len > UtsName.FIELD_MAX) throw new LinuxException(Errno.EINVAL);
        return t.memory().read(a.a0(), len);
    }

    static long sysinfo(Task t, Args a) {
        Kernel k = t.kernel();
        long uptime = k.uptimeNanos();
        long[] loads = k.loadAverages();
        ByteBuffer b = ByteBuffer.allocate(SYSINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        // Linux rounds the uptime up to the next second.
        b.putLong(uptime / 1_000_000_000L + (uptime % 1_000_000_000L != 0 ? 1 : 0));
        for (long l : loads) b.putLong(l << (SI_LOAD_SHIFT - 11));
        b.putLong(k.memoryTotalBytes()).putLong(k.memoryFreeBytes());
        b.putLong(0).putLong(0);          // sharedram, bufferram
        b.putLong(0).putLong(0);          // totalswap, freeswap
        b.putShort((short) Math.min(k.taskCount(), 0xffff));   // procs: threads, as Linux's nr_threads
        b.putShort((short) 0).putInt(0);  // pad
        b.putLong(0).putLong(0);          // totalhigh, freehigh
        b.putInt(1);                      // mem_unit: bytes
        t.memory().write(a.a0(), b.array());
        return 0;
    }

    /** Implements times(2): the process's and its reaped children's CPU time in clock ticks; returns ticks since boot. */
    static long times(Task t, Args a) {
        if (a.a0() != 0) {
            ThreadGroup g = t.group();
            ResourceUsage self = g.usage(), children = g.childrenUsage();
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(self.userTicks()).putLong(self.systemTicks()).putLong(children.userTicks()).putLong(children.systemTicks());
            t.memory().write(a.a0(), b.array());
        }
        return ResourceUsage.ticks(t.kernel().uptimeNanos());
    }

    static long getrusage(Task t, Args a) {
        ResourceUsage u = switch (a.i(0)) {
            case RUSAGE_SELF -> t.group().usageWithCurrentRss();
            case RUSAGE_CHILDREN -> t.group().childrenUsage();
            // A thread's figures with the process's peak resident set (Linux's out_thread path).
            case RUSAGE_THREAD -> t.usage().withMaxRssKb(t.group().usageWithCurrentRss().maxRssKb());
            default -> throw new LinuxException(Errno.EINVAL);
        };
        t.memory().write(a.a1(), u.toBytes());
        return 0;
    }
}
