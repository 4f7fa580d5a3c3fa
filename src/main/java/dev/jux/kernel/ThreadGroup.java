package dev.jux.kernel;

import dev.jux.abi.SigInfo;
import dev.jux.fs.FdTable;
import dev.jux.fs.vfs.FsContext;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.procfs.ProcessView;
import dev.jux.fs.vfs.Location;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import java.util.List;

/**
 * A process: the threads that share one pid (the leader's tid), one address space, one fd
 * table, signal dispositions and resource limits.
 */
public final class ThreadGroup implements ProcessView {
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
    private byte[] commandLine = new byte[0], environment = new byte[0];
    private String comm = "";
    private final PrctlState prctl = new PrctlState();
    private final PendingSignals pending = new PendingSignals();
    private final IntervalTimers timers = new IntervalTimers(this);
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

    public synchronized AddressSpace memory() {
        return memory;
    }

    /**
     * Gives the process a new address space (execve) and lets go of the old one, which is
     * freed unless a vfork parent still holds it. The caller switches its CPU to the new one.
     */
    public void replaceMemory(AddressSpace next) {
        AddressSpace old;
        synchronized (this) {
            old = memory;
            memory = next;
        }
        old.release();
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

    /** Sets the executable, and the command name to its base name, as exec does. */
    public synchronized void setExecutablePath(String path) {
        executablePath = path;
        setComm(path.substring(path.lastIndexOf('/') + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public PrctlState prctlState() {
        return prctl;
    }

    /** The command name, truncated to TASK_COMM_LEN - 1 = 15 bytes as Linux keeps it. */
    public synchronized void setComm(byte[] name) {
        comm = new String(name, 0, Math.min(name.length, 15), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public synchronized String comm() {
        return comm;
    }

    /** Records argv and envp as exec gave them (/proc/PID/cmdline and environ). */
    public synchronized void setCommandLine(List<byte[]> argv, List<byte[]> env) {
        commandLine = nulJoined(argv);
        environment = nulJoined(env);
    }

    private static byte[] nulJoined(List<byte[]> strings) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] s : strings) {
            out.writeBytes(s);
            out.write(0);
        }
        return out.toByteArray();
    }

    // --- ProcessView (procfs) ---

    @Override
    public synchronized byte[] commandLine() {
        return commandLine.clone();
    }

    @Override
    public synchronized byte[] environment() {
        return environment.clone();
    }

    @Override
    public synchronized int[] uids() {
        return new int[] {credentials.uid(), credentials.euid(), credentials.suid(), credentials.euid()};
    }

    @Override
    public synchronized int[] gids() {
        return new int[] {credentials.gid(), credentials.egid(), credentials.sgid(), credentials.egid()};
    }

    @Override
    public Location cwd() {
        return fs.cwd();
    }

    @Override
    public Location root() {
        return fs.root();
    }

    @Override
    public int umask() {
        return fs.umask();
    }

    @Override
    public List<Mapping> mappings() {
        return memory().vmas().stream()
                .map(v -> new Mapping(v.start(), v.end(), v.prot(), (v.flags() & Vma.SHARED) != 0, 0, v.name()))
                .toList();
    }

    @Override
    public long residentPages() {
        return memory().residentPages();
    }

    @Override
    public int threads() {
        return 1;
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

    /** setitimer/alarm's timers. */
    public IntervalTimers intervalTimers() {
        return timers;
    }

    /** Drops pending instances of {@code signal}: setting SIG_IGN discards them (POSIX, Linux's sigaction). */
    public void discardPending(int signal) {
        pending.discard(signal);
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
        timers.cancel();
        files.closeAll();
        memory.release();
    }
}
