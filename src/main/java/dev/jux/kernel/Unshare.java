package dev.jux.kernel;

import static dev.jux.abi.CloneFlags.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/**
 * unshare(2) (kernel/fork.c's ksys_unshare) and the namespace part of clone. Jux has UTS
 * namespaces; the others are refused as by a Linux built without them: EPERM without
 * CAP_SYS_ADMIN (checked first, as create_new_namespaces does), then EINVAL; CLONE_NEWUSER is
 * EINVAL for everyone (create_user_ns without CONFIG_USER_NS). The fd table and the fs context
 * are per process in Jux, so unsharing them from the other threads of a multi-threaded
 * process is EINVAL too (Linux gives the calling thread its own).
 */
public final class Unshare {
    private Unshare() {}

    private static final long ALLOWED = CLONE_THREAD | CLONE_FS | CLONE_NEWNS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES
            | CLONE_SYSVSEM | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP
            | CLONE_NEWTIME;
    /** The namespaces of the nsproxy (all but the user namespace). */
    static final long NSPROXY = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP
            | CLONE_NEWTIME;

    public static void unshare(Task caller, long flags) {
        ThreadGroup group = caller.group();
        // The implied flags, in ksys_unshare's order.
        if ((flags & CLONE_NEWUSER) != 0) flags |= CLONE_THREAD | CLONE_FS;
        if ((flags & CLONE_VM) != 0) flags |= CLONE_SIGHAND;
        if ((flags & CLONE_SIGHAND) != 0) flags |= CLONE_THREAD;
        if ((flags & CLONE_NEWNS) != 0) flags |= CLONE_FS;
        // check_unshare_flags: unknown bits; a thread group, signal handlers or memory shared
        // with other threads cannot be unshared ("pretend it works if there is nothing to unshare").
        if ((flags & ~ALLOWED) != 0) throw new LinuxException(Errno.EINVAL);
        boolean alone = group.tasks().size() == 1;
        if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) != 0 && !alone) throw new LinuxException(Errno.EINVAL);
        if ((flags & CLONE_VM) != 0 && group.memory().users() > 1) throw new LinuxException(Errno.EINVAL);
        if ((flags & (CLONE_FS | CLONE_FILES)) != 0 && !alone) {
            throw new LinuxException(Errno.EINVAL, "unshare of CLONE_FS/CLONE_FILES by one thread of several is not supported");
        }
        if ((flags & CLONE_NEWUSER) != 0) throw new LinuxException(Errno.EINVAL);
        UtsNamespace uts = newNamespaces(group, flags);
        // Nothing can fail from here on.
        if ((flags & CLONE_FS) != 0) group.unshareFs();
        if ((flags & CLONE_FILES) != 0) group.unshareFiles();
        if (uts != null) group.setUts(uts);
        // ksys_unshare: "CLONE_SYSVSEM is equivalent to sys_exit()": the SEM_UNDO adjustments
        // apply now and the process starts a new list. Jux keeps one list per process, so a
        // thread of several cannot leave it: nothing happens then.
        if ((flags & CLONE_SYSVSEM) != 0 && alone) group.kernel().ipc().processExited(group, group.pid());
    }

    /**
     * create_new_namespaces for {@code flags} (clone's or unshare's): null if no namespace is
     * asked for, else a new UTS namespace copied from the caller's (the one kind Jux makes).
     * EPERM without CAP_SYS_ADMIN, then EINVAL for the kinds Jux does not have.
     */
    static UtsNamespace newNamespaces(ThreadGroup caller, long flags) {
        if ((flags & NSPROXY) == 0) return null;
        if (!caller.credentials().isRoot()) throw new LinuxException(Errno.EPERM);
        if ((flags & NSPROXY & ~CLONE_NEWUTS) != 0) throw new LinuxException(Errno.EINVAL);
        return caller.uts().copy();
    }
}
