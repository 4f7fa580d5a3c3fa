package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Ptrace;
import dev.jux.kernel.Task;
import dev.jux.kernel.ThreadGroup;
import dev.jux.mm.AddressSpace;

/**
 * process_vm_readv(2) and process_vm_writev(2) (mm/process_vm_access.c): copy between the
 * caller's iovecs and another process's, a page at a time, stopping at the first remote page
 * that cannot be reached; the bytes copied, or EFAULT if none.
 */
final class ProcessVmSyscalls {
    private ProcessVmSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.PROCESS_VM_READV, Support.FULL, "", (task, a) -> transfer(task, a, false));
        t.add(SyscallNumbers.PROCESS_VM_WRITEV, Support.FULL, "", (task, a) -> transfer(task, a, true));
    }

    static long transfer(Task t, Args a, boolean write) {
        if (a.a5() != 0) throw new LinuxException(Errno.EINVAL);
        AddressSpace mine = t.memory();
        long[][] local = FileSyscalls.iovecs(mine, a.a1(), a.i(2));
        long[][] remote = FileSyscalls.iovecs(mine, a.a3(), a.i(4));
        long total = 0;
        for (long[] v : local) total += v[1];
        if (total == 0) return 0;
        Task target = t.kernel().task(a.i(0));
        if (target == null) throw new LinuxException(Errno.ESRCH);
        ThreadGroup g = target.group();
        if (g != t.group() && !Ptrace.mayAttach(t.group(), g)) throw new LinuxException(Errno.EPERM);
        AddressSpace theirs = g.memory();
        if (theirs == null) throw new LinuxException(Errno.ESRCH);
        long done = 0;
        int li = 0;
        long lo = 0;
        for (long[] r : remote) {
            long ro = 0;
            while (ro < r[1] && li < local.length) {
                if (lo == local[li][1]) {
                    li++;
                    lo = 0;
                    continue;
                }
                long at = r[0] + ro;
                int n = (int) Math.min(Math.min(r[1] - ro, local[li][1] - lo), AddressSpace.PAGE - (at & (AddressSpace.PAGE - 1)));
                byte[] buf = new byte[n];
                try {
                    if (write) {
                        mine.read(local[li][0] + lo, buf, 0, n);
                        theirs.write(at, buf, 0, n);
                    } else {
                        theirs.read(at, buf, 0, n);
                        mine.write(local[li][0] + lo, buf, 0, n);
                    }
                } catch (LinuxException e) {
                    if (done == 0) throw e;
                    return done;
                }
                done += n;
                ro += n;
                lo += n;
            }
        }
        return done;
    }
}
