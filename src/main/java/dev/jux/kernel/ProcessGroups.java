package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/** Process groups and sessions: setpgid, getpgid, setsid, getsid (kernel/sys.c). */
public final class ProcessGroups {
    private ProcessGroups() {}

    /**
     * setpgid(2): moves {@code pid} (0: the caller) into group {@code pgid} (0: its own pid).
     * The target must be the caller or a child of it that has not exec'd (EACCES) in the same
     * session (EPERM); a session leader cannot move (EPERM); joining an existing group needs
     * that group to be in the caller's session (EPERM).
     */
    public static void setpgid(Task caller, int pid, int pgid) {
        ThreadGroup self = caller.group();
        Kernel kernel = self.kernel();
        if (pid == 0) pid = self.pid();
        if (pgid == 0) pgid = pid;
        if (pgid < 0) throw new LinuxException(Errno.EINVAL);
        synchronized (kernel.treeLock()) {
            ThreadGroup p = kernel.process(pid);
            if (p == null) throw new LinuxException(Errno.ESRCH);
            if (p.links.parent == self) {
                if (p.session() != self.session()) throw new LinuxException(Errno.EPERM);
                if (p.links.execed) throw new LinuxException(Errno.EACCES);
            } else if (p != self) {
                throw new LinuxException(Errno.ESRCH);
            }
            if (p.session() == p.pid()) throw new LinuxException(Errno.EPERM);
            if (pgid != pid) {
                boolean groupInSession = false;
                for (ThreadGroup member : SignalSender.groupMembers(kernel, pgid)) {
                    if (member.session() == self.session()) groupInSession = true;
                }
                if (!groupInSession) throw new LinuxException(Errno.EPERM);
            }
            p.links.processGroup = pgid;
        }
    }

    /** setsid(2): a new session and group led by the caller; EPERM if a group with its pid exists. */
    public static int setsid(Task caller) {
        ThreadGroup self = caller.group();
        Kernel kernel = self.kernel();
        synchronized (kernel.treeLock()) {
            if (!SignalSender.groupMembers(kernel, self.pid()).isEmpty()) throw new LinuxException(Errno.EPERM);
            self.links.session = self.pid();
            self.links.processGroup = self.pid();
            self.links.controllingTty = null;
            return self.pid();
        }
    }

    /** getpgid(2): the group of {@code pid} (0: the caller); ESRCH if there is no such process. */
    public static int getpgid(Task caller, int pid) {
        return target(caller, pid).processGroup();
    }

    /** getsid(2): the session of {@code pid} (0: the caller). */
    public static int getsid(Task caller, int pid) {
        return target(caller, pid).session();
    }

    private static ThreadGroup target(Task caller, int pid) {
        if (pid == 0) return caller.group();
        ThreadGroup p = caller.kernel().process(pid);
        if (p == null) throw new LinuxException(Errno.ESRCH);
        return p;
    }
}
