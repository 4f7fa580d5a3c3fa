package dev.jux.syscall;

import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.ProcessGroups;

/** Process groups and sessions (kernel/ProcessGroups). */
final class GroupSyscalls {
    private GroupSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.SETPGID, Support.FULL, "", (task, a) -> {
            ProcessGroups.setpgid(task, a.i(0), a.i(1));
            return 0;
        });
        t.add(SyscallNumbers.GETPGID, Support.FULL, "", (task, a) -> ProcessGroups.getpgid(task, a.i(0)));
        t.add(SyscallNumbers.GETPGRP, Support.FULL, "", (task, a) -> task.group().processGroup());
        t.add(SyscallNumbers.SETSID, Support.FULL, "", (task, a) -> ProcessGroups.setsid(task));
        t.add(SyscallNumbers.GETSID, Support.FULL, "", (task, a) -> ProcessGroups.getsid(task, a.i(0)));
    }
}
