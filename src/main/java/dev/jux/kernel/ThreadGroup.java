package dev.jux.kernel;

import dev.jux.abi.SigInfo;
import dev.jux.fs.FdTable;
import dev.jux.fs.vfs.FsContext;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.mm.AddressSpace;

/**
 * A process: the threads that share one pid (the leader's tid), one address space, one fd
 * table, signal dispositions and resource limits.
 */
public final class ThreadGroup {
    private final Kernel kernel;
    private final int pid;
    private final int parentPid;
    private AddressSpace memory;
    private final FdTable files;
    private final FsContext fs;
    private final SignalDisposition[] actions = new SignalDisposition[65];
    private final Limits limits = new Limits();
    private Credentials credentials;
    private String executablePath;
    private final PendingSignals pending = new PendingSignals();
    private volatile boolean exiting;
    private int waitStatus;

    ThreadGroup(Kernel kernel, int pid, int parentPid, AddressSpace memory, FdTable files, FsContext fs, Credentials credentials) {
        this.kernel = kernel;
        this.pid = pid;
        this.parentPid = parentPid;
        this.memory = memory;
        this.files = files;
        this.fs = fs;
        this.credentials = credentials;
        java.util.Arrays.fill(actions, SignalDisposition.DEFAULT);
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    public int parentPid() {
        return parentPid;
    }

    public AddressSpace memory() {
        return memory;
    }

    public FdTable files() {
        return files;
    }

    /** The root, working directory and umask. */
    public FsContext fs() {
        return fs;
    }

    /** The credentials file-system checks use (Linux's fsuid/fsgid, which follow the effective ids). */
    public synchronized FsCredentials fsCredentials() {
        return new FsCredentials(credentials.euid(), credentials.egid(), new int[0]);
    }

    public Limits limits() {
        return limits;
    }

    public synchronized Credentials credentials() {
        return credentials;
    }

    public synchronized String executablePath() {
        return executablePath;
    }

    public synchronized void setExecutablePath(String path) {
        executablePath = path;
    }

    public synchronized SignalDisposition action(int signal) {
        return actions[signal];
    }

    public synchronized void setAction(int signal, SignalDisposition action) {
        actions[signal] = action;
    }

    /** Queues a process-directed signal; any thread that does not block it takes it. */
    public void post(SigInfo info) {
        pending.add(info);
    }

    SigInfo takePending(long allowed) {
        return pending.take(allowed);
    }

    long pendingSignals() {
        return pending.set();
    }

    public boolean isExiting() {
        return exiting;
    }

    /** Ends the whole group with a wait status (exit_group, or a fatal signal); first caller wins. */
    public synchronized void exit(int status) {
        if (exiting) return;
        exiting = true;
        waitStatus = status;
    }

    public synchronized int waitStatus() {
        return waitStatus;
    }

    /** Frees what the process holds once its last thread is gone. */
    void release() {
        files.closeAll();
        memory.destroy();
    }
}
