package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.fs.FdTable;
import dev.jux.fs.vfs.FsContext;
import dev.jux.mm.AddressSpace;
import dev.jux.platform.Context;

import static dev.jux.abi.CloneFlags.*;

/**
 * Creates a child process: fork, vfork and clone without threads (Linux's copy_process). The
 * child gets a copy of the caller's registers (rax = 0, the new stack if one is given), of its
 * address space (or shares it with CLONE_VM), fd table (or shares it with CLONE_FILES), root,
 * cwd and umask (shared with CLONE_FS), signal dispositions and mask, limits, credentials,
 * prctl settings and command name, and runs on a Java thread of its own.
 */
public final class Clone {
    private Clone() {}

    /**
     * One clone request: flags without the low byte, the exit signal (the low byte; clone3's
     * exit_signal), the new stack pointer (0: the caller's), the CLONE_PARENT_SETTID and
     * CLONE_CHILD_SETTID/CLEARTID addresses, the CLONE_SETTLS value and where CLONE_PIDFD
     * stores the pidfd (clone: parent_tid; clone3: its own field).
     */
    public record Request(long flags, int exitSignal, long stack, long parentTid, long childTid, long tls, long pidfd) {
        public static Request fork() {
            return new Request(0, dev.jux.abi.Signal.SIGCHLD.number(), 0, 0, 0, 0, 0);
        }

        public static Request vfork() {
            return new Request(CLONE_VM | CLONE_VFORK, dev.jux.abi.Signal.SIGCHLD.number(), 0, 0, 0, 0, 0);
        }
    }

    /** What Jux does (CLONE_SYSVSEM, CLONE_IO, CLONE_DETACHED, CLONE_UNTRACED change nothing here). */
    static final long SUPPORTED = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_VFORK | CLONE_PARENT | CLONE_SETTLS
            | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_UNTRACED
            | CLONE_SYSVSEM | CLONE_IO | CLONE_CLEAR_SIGHAND | CLONE_PTRACE | CLONE_PIDFD;

    /**
     * Creates the child and starts it; returns its pid. With CLONE_VFORK, returns only once the
     * child has exec'd or exited. EAGAIN when the platform has no CPU, the JVM no thread, or
     * RLIMIT_NPROC is reached; ENOMEM when guest memory runs out during the copy.
     */
    public static int clone(Task parent, Request r) {
        long f = r.flags();
        // Legacy clone stores both the pidfd and the parent's tid at parent_tid (kernel_clone).
        if ((f & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == (CLONE_PIDFD | CLONE_PARENT_SETTID) && r.pidfd() == r.parentTid()) {
            throw new LinuxException(Errno.EINVAL);
        }
        check(parent.group(), f);
        if ((f & CLONE_THREAD) != 0) return ThreadClone.start(parent, r);
        ThreadGroup pg = parent.group();
        Kernel kernel = pg.kernel();
        checkProcessLimit(pg);
        UtsNamespace uts = Unshare.newNamespaces(pg, f);
        Context cpu = kernel.platform().newContext();
        AddressSpace memory = null;
        FdTable files = null;
        Task task;
        ThreadGroup child;
        try {
            if ((f & CLONE_VM) != 0) {
                memory = pg.memory();
                memory.retain();
            } else {
                memory = pg.memory().fork();
                // Sibling threads still running on other vCPUs must lose their writable
                // translations of the now copy-on-write pages before the child can run.
                if (pg.tasks().size() > 1) kernel.platform().flushTranslationsNow();
            }
            files = (f & CLONE_FILES) != 0 ? pg.files().share() : pg.files().copy();
            FsContext fs = (f & CLONE_FS) != 0 ? pg.fs() : pg.fs().copy();
            synchronized (kernel.treeLock()) {
                ThreadGroup init = kernel.process(1);
                // A dying caller, or a guest whose pid 1 is gone, makes no more processes.
                if (pg.isExiting() || init == null || init.isZombie()) throw new LinuxException(Errno.ERESTARTNOINTR);
                ThreadGroup realParent = (f & CLONE_PARENT) != 0 ? pg.links.parent : pg;
                int pid = kernel.allocatePid();
                child = new ThreadGroup(kernel, pid, realParent, memory, files, fs, pg.credentials());
                child.inheritFrom(pg);
                if (uts != null) child.setUts(uts);
                if ((f & CLONE_CLEAR_SIGHAND) != 0) child.resetHandlers();
                child.links.exitSignal = (f & CLONE_PARENT) != 0 ? pg.links.exitSignal : r.exitSignal();
                task = new Task(kernel, child, pid, cpu);
                task.startAsCloneOf(parent, r.stack(), (f & CLONE_SETTLS) != 0, r.tls());
                // The alternate signal stack is per thread but copied (copy_thread), except that a child sharing the memory (not vfork) starts without one (copy_process).
                boolean sharesVm = (f & (CLONE_VM | CLONE_VFORK)) == CLONE_VM;
                task.signals().setAltStack(sharesVm ? AltStack.DISABLED : parent.signals().altStack());
                if ((f & CLONE_CHILD_CLEARTID) != 0) task.setClearChildTid(r.childTid());
                child.attach(task);
                if ((f & CLONE_VFORK) != 0) child.links.vfork = new VforkCompletion(parent);
                realParent.links.children.add(child);
                kernel.add(child);
            }
        } catch (RuntimeException e) {
            cpu.close();
            if (files != null) files.closeAll();
            if (memory != null) memory.release();
            throw e;
        }
        if ((f & CLONE_PIDFD) != 0) givePidFd(pg, child, task, r.pidfd());
        int pid = child.pid();
        // Linux ignores faults on these two writes: the child exists either way.
        if ((f & CLONE_PARENT_SETTID) != 0) ignoreFault(() -> pg.memory().writeInt(r.parentTid(), pid));
        if ((f & CLONE_CHILD_SETTID) != 0) ignoreFault(() -> child.memory().writeInt(r.childTid(), pid));
        int event = PtraceStops.attachChild(parent, task, (f & CLONE_VFORK) != 0, false, (f & CLONE_PTRACE) != 0, child.links.exitSignal);
        // Taken now: a child that ends before the parent looks (say, while the parent is in a
        // ptrace event stop) clears it, and PTRACE_EVENT_VFORK_DONE must still be reported.
        VforkCompletion vfork = child.links.vfork;
        try {
            kernel.startTask(task);
        } catch (LinuxException e) {
            abandon(child, task);
            throw e;
        }
        PtraceStops.childCreated(parent, event, pid);
        if (vfork != null) {
            vfork.await();
            PtraceStops.vforkDone(parent, pid);
        }
        return pid;
    }

    /** copy_process's flag checks, in Linux's order, then what Jux does not do yet. */
    private static void check(ThreadGroup caller, long f) {
        if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) throw new LinuxException(Errno.EINVAL);
        if ((f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) throw new LinuxException(Errno.EINVAL);
        if ((f & CLONE_THREAD) != 0 && (f & CLONE_SIGHAND) == 0) throw new LinuxException(Errno.EINVAL);
        if ((f & CLONE_SIGHAND) != 0 && (f & CLONE_VM) == 0) throw new LinuxException(Errno.EINVAL);
        if ((f & CLONE_PARENT) != 0 && caller.links.parent == null) throw new LinuxException(Errno.EINVAL);
        // Dispositions live in the ThreadGroup: shared by threads, copied between processes.
        if ((f & (CLONE_THREAD | CLONE_SIGHAND)) == CLONE_SIGHAND) throw new LinuxException(Errno.EINVAL, "CLONE_SIGHAND without CLONE_THREAD is not supported");
        // A thread shares the process's fd table and fs context (they live in the ThreadGroup).
        if ((f & CLONE_THREAD) != 0 && (f & (CLONE_FILES | CLONE_FS)) != (CLONE_FILES | CLONE_FS)) {
            throw new LinuxException(Errno.EINVAL, "a thread without CLONE_FILES|CLONE_FS is not supported");
        }
        // The UTS namespace is per process in Jux: a thread cannot have one of its own.
        if ((f & CLONE_THREAD) != 0 && (f & (CLONE_NEWUTS | CLONE_NEWUSER | CLONE_NEWPID)) != 0) throw new LinuxException(Errno.EINVAL);
        // CLONE_DETACHED is kept for a later meaning of CLONE_PIDFD; a thread's pidfd (Linux 6.9) Jux does not make.
        if ((f & CLONE_PIDFD) != 0 && (f & CLONE_DETACHED) != 0) throw new LinuxException(Errno.EINVAL);
        if ((f & (CLONE_PIDFD | CLONE_THREAD)) == (CLONE_PIDFD | CLONE_THREAD)) throw new LinuxException(Errno.EINVAL, "thread pidfds are not supported");
        long unsupported = f & ~SUPPORTED & ~(Unshare.NSPROXY | CLONE_NEWUSER);
        if (unsupported != 0) throw new LinuxException(Errno.EINVAL, "clone flags not supported: 0x" + Long.toHexString(unsupported));
        // copy_creds: Jux has no user namespaces (as a Linux without CONFIG_USER_NS).
        if ((f & CLONE_NEWUSER) != 0) throw new LinuxException(Errno.EINVAL);
    }

    /**
     * RLIMIT_NPROC: a user other than root may not own more processes (zombies count, as on
     * Linux until they are reaped) than its soft limit.
     */
    private static void checkProcessLimit(ThreadGroup caller) {
        Credentials c = caller.credentials();
        if (c.uid() == 0 || c.euid() == 0) return;
        long limit = caller.limits().soft(Rlimit.RLIMIT_NPROC);
        long owned = caller.kernel().processes().stream().filter(p -> p.credentials().uid() == c.uid()).count();
        if (Long.compareUnsigned(owned, limit) >= 0) throw new LinuxException(Errno.EAGAIN);
    }

    static void ignoreFault(Runnable write) {
        try {
            write.run();
        } catch (LinuxException e) {
            // EFAULT: the address was bad; the child is created all the same.
        }
    }

    /** The child's thread could not start: undo its creation. */
    /**
     * CLONE_PIDFD: a close-on-exec pidfd of the child in the parent's table, its number stored
     * at {@code addr}. Unlike the tid writes this one fails the clone (EMFILE, EFAULT), as
     * copy_process fails before the child runs.
     */
    private static void givePidFd(ThreadGroup parent, ThreadGroup child, Task task, long addr) {
        try {
            int fd = parent.files().install(new PidFd(child, 0), 0, true, parent.limits().soft(dev.jux.abi.Rlimit.RLIMIT_NOFILE));
            try {
                parent.memory().writeInt(addr, fd);
            } catch (LinuxException e) {
                parent.files().close(fd);
                throw e;
            }
        } catch (LinuxException e) {
            abandon(child, task);
            throw e;
        }
    }

    private static void abandon(ThreadGroup child, Task task) {
        Kernel kernel = child.kernel();
        synchronized (kernel.treeLock()) {
            ThreadGroup parent = child.links.parent;
            if (parent != null) parent.links.children.remove(child);
            kernel.remove(child);
        }
        child.detach(task);
        task.releaseCpu();
        child.release();
    }
}
