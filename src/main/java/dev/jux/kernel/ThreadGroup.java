package dev.jux.kernel;

import dev.jux.abi.ResourceUsage;
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
    final ProcessLinks links = new ProcessLinks();
    private final java.util.List<Task> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private AddressSpace memory;
    /** Replaced only by unshare(CLONE_FILES / CLONE_FS) of a single-threaded process. */
    private volatile FdTable files;
    private volatile FsContext fs;
    private volatile UtsNamespace uts;
    private final SignalDisposition[] actions = new SignalDisposition[65];
    private final Limits limits = new Limits();
    private Credentials credentials;
    private String executablePath;
    private byte[] commandLine = new byte[0], environment = new byte[0];
    private String comm = "";
    private final PrctlState prctl = new PrctlState();
    private final OomScoreAdjust oomScoreAdjust = new OomScoreAdjust();
    private final PendingSignals pending = new PendingSignals();
    private final IntervalTimers timers = new IntervalTimers(this);
    private final PosixTimers posixTimers = new PosixTimers(this);
    private volatile boolean exiting;
    /** An execve waiting for the other threads to end (DeThread). */
    volatile Task deThreadWaiter;
    private int waitStatus;
    /** CPU time and counters of ended threads and reaped children (getrusage, times, /proc/PID/stat). */
    final ProcessUsage accounting = new ProcessUsage();
    private final long startNanos;

    ThreadGroup(Kernel kernel, int pid, ThreadGroup parent, AddressSpace memory, FdTable files, FsContext fs, Credentials credentials) {
        this.kernel = kernel;
        this.pid = pid;
        links.parent = parent;
        links.processGroup = parent != null ? parent.links.processGroup : pid;
        links.session = parent != null ? parent.links.session : pid;
        links.controllingTty = parent != null ? parent.links.controllingTty : null;
        this.memory = memory;
        memory.adoptLimits(limits);
        this.files = files;
        this.fs = fs;
        this.uts = kernel.initialUts();
        this.credentials = credentials;
        this.startNanos = kernel.uptimeNanos();
        java.util.Arrays.fill(actions, SignalDisposition.DEFAULT);
    }

    public Kernel kernel() {
        return kernel;
    }

    public int pid() {
        return pid;
    }

    /** The parent's pid (it changes when the parent dies and the process is reparented); 0 for pid 1. */
    public int parentPid() {
        ThreadGroup p = links.parent;
        return p == null ? 0 : p.pid;
    }

    @Override
    public int processGroup() {
        return links.processGroup;
    }

    @Override
    public int session() {
        return links.session;
    }

    @Override
    public int terminalDevice() {
        dev.jux.fs.tty.Tty tty = links.controllingTty;
        if (tty == null) return 0;
        long major = dev.jux.abi.DeviceNumber.major(tty.rdev()), minor = dev.jux.abi.DeviceNumber.minor(tty.rdev());
        return (int) ((minor & 0xff) | (major << 8) | ((minor & ~0xffL) << 12));
    }

    @Override
    public int terminalForegroundGroup() {
        dev.jux.fs.tty.Tty tty = links.controllingTty;
        int fg = tty != null ? tty.foregroundGroup() : 0;
        return fg != 0 ? fg : -1;
    }

    /** /proc/PID/personality: the leader's (another thread's once the leader has gone). */
    @Override
    public int personality() {
        Task any = null;
        for (Task t : tasks) {
            if (t.isLeader()) return t.personality();
            if (any == null) any = t;
        }
        return any == null ? 0 : any.personality();
    }

    /** /proc/PID/stat's state: Z zombie, T stopped, S sleeping in the kernel, R otherwise. */
    @Override
    public char state() {
        if (links.zombie) return 'Z';
        if (links.stopped) return 'T';
        // The leader in a ptrace-stop: "t (tracing stop)".
        for (Task t : tasks) if (t.isLeader() && t.tracee() != null && t.tracee().isStopped()) return 't';
        for (Task t : tasks) if (!t.isSleeping()) return 'R';
        return tasks.isEmpty() ? 'R' : 'S';
    }

    /** True once the process has exited and until it is reaped. */
    public boolean isZombie() {
        return links.zombie;
    }

    /** Called by execve: from now on setpgid on this process fails with EACCES (Linux's PF_FORKNOEXEC cleared). */
    public void markExeced() {
        links.execed = true;
    }

    /** The process's live tasks (threads). */
    public java.util.List<Task> tasks() {
        return tasks;
    }

    void attach(Task task) {
        tasks.add(task);
    }

    void detach(Task task) {
        tasks.remove(task);
    }

    /** Makes every task look at its state again (a signal, a kill, a continue). */
    void wakeTasks() {
        for (Task t : tasks) t.wake();
    }

    /**
     * fork(2)'s inheritance of what the constructor does not take: signal dispositions,
     * limits, prctl settings, the command name, executable and command line.
     */
    void inheritFrom(ThreadGroup parent) {
        synchronized (parent) {
            System.arraycopy(parent.actions, 0, actions, 0, actions.length);
            executablePath = parent.executablePath;
            commandLine = parent.commandLine;
            environment = parent.environment;
            comm = parent.comm;
        }
        limits.copyFrom(parent.limits);
        prctl.inheritFrom(parent.prctl);
        oomScoreAdjust.inheritFrom(parent.oomScoreAdjust);
        uts = parent.uts;
    }

    /** The UTS namespace: uname's host and domain names. */
    public UtsNamespace uts() {
        return uts;
    }

    /** unshare(CLONE_NEWUTS), clone(CLONE_NEWUTS): a namespace of this process's own. */
    void setUts(UtsNamespace namespace) {
        uts = namespace;
    }

    /**
     * unshare(CLONE_FILES): a table of this process's own if another process shares it
     * (unshare_fd copies only a shared table); the old one loses a user.
     */
    void unshareFiles() {
        FdTable old = files;
        if (!old.isShared()) return;
        files = old.copy();
        old.closeAll();
    }

    /** unshare(CLONE_FS): root, cwd and umask of this process's own. */
    void unshareFs() {
        fs = fs.copy();
    }

    public OomScoreAdjust oomScoreAdjust() {
        return oomScoreAdjust;
    }

    /** The OOM killer's measure of this process (oom_badness); Long.MIN_VALUE if it is never chosen. */
    long oomBadness() {
        if (pid() == 1) return Long.MIN_VALUE;     // oom_unkillable_task: the global init
        return OomScoreAdjust.badness(residentPages(), oomScoreAdjust.value(), kernel.frames().totalFrames());
    }

    @Override
    public int oomScoreAdj() {
        return oomScoreAdjust.value();
    }

    @Override
    public int oomAdj() {
        return oomScoreAdjust.legacy();
    }

    @Override
    public long oomScore() {
        return OomScoreAdjust.score(residentPages(), oomScoreAdjust.value(), kernel.frames().totalFrames(), pid() == 1);
    }

    @Override
    public void setOomScoreAdj(int value, boolean legacy, boolean privileged) {
        if (legacy) oomScoreAdjust.setLegacy(value, privileged);
        else oomScoreAdjust.set(value, false, privileged);
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
        // ru_maxrss survives exec (Linux's setmax_mm_hiwater_rss in exec_mmap).
        accounting.sampleRss(old.residentPages() * 4);
        next.adoptLimits(limits);
        old.release();
        VforkCompletion v = links.vfork;
        if (v != null) {
            links.vfork = null;
            v.complete();
        }
    }

    public FdTable files() {
        return files;
    }

    /** The root, working directory and umask. */
    public FsContext fs() {
        return fs;
    }

    /** The credentials file-system checks use: fsuid, fsgid and the supplementary groups. */
    public synchronized FsCredentials fsCredentials() {
        return credentials.fsCredentials();
    }

    public Limits limits() {
        return limits;
    }

    public synchronized Credentials credentials() {
        return credentials;
    }

    /**
     * Applies one credential transition atomically (the set*id system calls, exec); a
     * LinuxException from {@code change} leaves the credentials as they were. Returns the old ones.
     */
    public synchronized Credentials changeCredentials(java.util.function.UnaryOperator<Credentials> change) {
        Credentials old = credentials;
        credentials = change.apply(old);
        // Linux's commit_creds: a change of euid, egid, fsuid or fsgid makes the process
        // undumpable (fs.suid_dumpable, 0 by default) and clears its parent-death signal.
        if (old.euid() != credentials.euid() || old.egid() != credentials.egid()
                || old.fsuid() != credentials.fsuid() || old.fsgid() != credentials.fsgid()) {
            prctl.dumpable = 0;
            prctl.parentDeathSignal = 0;
        }
        return old;
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

    /** argv; empty once the process is a zombie (it has no memory left: Linux's cmdline reads nothing). */
    @Override
    public synchronized byte[] commandLine() {
        return links.zombie ? new byte[0] : commandLine.clone();
    }

    public synchronized void setAuxv(byte[] auxv) {
        this.auxv = auxv;
    }

    @Override
    public synchronized byte[] auxv() {
        return links.zombie ? new byte[0] : auxv.clone();
    }

    private byte[] auxv = new byte[0];

    @Override
    public synchronized byte[] environment() {
        return links.zombie ? new byte[0] : environment.clone();
    }

    @Override
    public synchronized int[] uids() {
        return new int[] {credentials.uid(), credentials.euid(), credentials.suid(), credentials.fsuid()};
    }

    @Override
    public synchronized int[] gids() {
        return new int[] {credentials.gid(), credentials.egid(), credentials.sgid(), credentials.fsgid()};
    }

    @Override
    public boolean dumpable() {
        return prctl.dumpable == 1;
    }

    @Override
    public synchronized int[] groups() {
        return credentials.groups();
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
                .map(ThreadGroup::mapping)
                .toList();
    }

    @Override
    public List<MappingUsage> mappingUsage() {
        return memory().usage().stream()
                .map(u -> new MappingUsage(mapping(u.vma()), u.rss(), u.pss(), u.sharedClean(), u.sharedDirty(),
                        u.privateClean(), u.privateDirty(), u.anonymous(), u.locked(), VmFlags.of(u.vma())))
                .toList();
    }

    @Override
    public long lockedBytes() {
        return memory().lockedBytes();
    }

    /**
     * How /proc/PID/maps shows a VMA: a file mapping by its file; shared anonymous memory as
     * Linux's shmem file, a System V segment by its own ("/SYSV%08x (deleted)", its name).
     */
    private static Mapping mapping(Vma v) {
        boolean shared = (v.flags() & Vma.SHARED) != 0;
        if (v.file() != null) {
            return new Mapping(v.start(), v.end(), v.prot(), shared, v.offset(), v.file().device(), v.file().inode(), v.label());
        }
        return new Mapping(v.start(), v.end(), v.prot(), shared, 0, shared && v.name().isEmpty() ? "/dev/zero (deleted)" : v.name());
    }

    @Override
    public long residentPages() {
        return memory().residentPages();
    }

    @Override
    public List<ThreadInfo> threadInfos() {
        List<ThreadInfo> out = new java.util.ArrayList<>();
        long online = kernel.onlineCpuMask();
        for (Task t : tasks) {
            // A thread past exit(2) is gone for /proc (its joiner may already have returned).
            if (t.isLeavingAlone() && tasks.size() > 1) continue;
            SchedState s = t.sched();
            Tracee traced = t.tracee();
            char state = traced != null && traced.isStopped() ? 't' : links.stopped ? 'T' : t.isSleeping() ? 'S' : 'R';
            ThreadInfo info = new ThreadInfo(t.tid(), state, s.procPriority(), s.nice(), s.rtPriority(), s.policy(), s.cpuFor(t.tid(), online),
                    s.affinity() & online);
            if (t.isLeader()) out.addFirst(info);
            else out.add(info);
        }
        return out;
    }

    @Override
    public int tracerPid(int tid) {
        for (Task t : tasks) if (t.tid() == tid) return Ptrace.tracerPid(t);
        return 0;
    }

    @Override
    public int threads() {
        return Math.max(1, tasks.size());
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    /**
     * RUSAGE_SELF: the ended threads' figures plus the live threads' (under the tree lock, which
     * a thread holds while it moves from one to the other, so none is counted twice or missed).
     */
    @Override
    public ResourceUsage usage() {
        synchronized (kernel.treeLock()) {
            ResourceUsage u = accounting.ended();
            for (Task t : tasks) u = u.plus(t.usage());
            return u.withMaxRssKb(accounting.peakRssKb());
        }
    }

    /** RUSAGE_SELF with the current resident set sampled into the peak first (getrusage's maxrss). */
    public ResourceUsage usageWithCurrentRss() {
        if (!links.zombie) accounting.sampleRss(residentPages() * 4);
        return usage();
    }

    @Override
    public ResourceUsage childrenUsage() {
        return accounting.children();
    }

    @Override
    public long peakRssKb() {
        return accounting.peakRssKb();
    }

    /** The precise CPU time (user + system) of every thread, live and ended: CLOCK_PROCESS_CPUTIME_ID. */
    public long cpuNanos() {
        synchronized (kernel.treeLock()) {
            ResourceUsage ended = accounting.ended();
            long n = ended.userNanos() + ended.systemNanos();
            for (Task t : tasks) n += TaskUsage.cpuNanos(t.thread());
            return n;
        }
    }

    @Override
    public int exitSignal() {
        return links.exitSignal;
    }

    @Override
    public boolean noNewPrivs() {
        return prctl.noNewPrivs;
    }

    @Override
    public long[][] resourceLimits() {
        long[][] l = new long[2][dev.jux.abi.Rlimit.RLIM_NLIMITS];
        for (int r = 0; r < dev.jux.abi.Rlimit.RLIM_NLIMITS; r++) {
            l[0][r] = limits.soft(r);
            l[1][r] = limits.hard(r);
        }
        return l;
    }

    /** The leader's (or, once it is gone, the first live thread's) signal state, as Linux's task_sig for /proc/PID/status. */
    @Override
    public Signals signals() {
        long ignored = 0, caught = 0;
        synchronized (this) {
            for (int sig = 1; sig < actions.length; sig++) {
                if (actions[sig].isIgnore()) ignored |= SignalSet.bit(sig);
                else if (!actions[sig].isDefault()) caught |= SignalSet.bit(sig);
            }
        }
        Task leader = null;
        for (Task t : tasks) {
            if (leader == null || t.isLeader()) leader = t;
        }
        long threadPending = leader == null ? 0 : leader.threadPendingSignals();
        long blocked = leader == null ? 0 : leader.signalMask();
        return new Signals(threadPending, pending.set(), blocked, ignored, caught,
                Long.bitCount(threadPending) + Long.bitCount(pending.set()), limits.soft(dev.jux.abi.Rlimit.RLIMIT_SIGPENDING));
    }

    /**
     * Linux's flush_signal_handlers (clone3's CLONE_CLEAR_SIGHAND): handlers go back to SIG_DFL,
     * SIG_IGN stays, flags and masks are cleared.
     */
    synchronized void resetHandlers() {
        for (int sig = 1; sig < actions.length; sig++) {
            actions[sig] = actions[sig].isIgnore()
                    ? new SignalDisposition(dev.jux.abi.SignalAction.SIG_IGN, 0, 0, 0)
                    : SignalDisposition.DEFAULT;
        }
    }

    public synchronized SignalDisposition action(int signal) {
        return actions[signal];
    }

    public synchronized void setAction(int signal, SignalDisposition action) {
        actions[signal] = action;
    }

    /**
     * exec's flush_signal_handlers: every handled signal goes back to SIG_DFL; ignored ones stay
     * ignored. Flags, mask and restorer are cleared either way.
     */
    public synchronized void resetHandlersForExec() {
        for (int sig = 1; sig < actions.length; sig++) {
            actions[sig] = actions[sig].isIgnore()
                    ? new SignalDisposition(dev.jux.abi.SignalAction.SIG_IGN, 0, 0, 0)
                    : SignalDisposition.DEFAULT;
        }
    }

    /** True once the process has execed (pid 1's first program counts, as it came from exec). */
    public boolean hasExeced() {
        return links.execed;
    }

    /** Queues a process-directed signal, which any thread that does not block it takes; false when it was already pending. */
    public boolean post(SigInfo info) {
        boolean queued = pending.add(info);
        signalWaiters.wakeAll(dev.jux.abi.Poll.POLLIN);
        return queued;
    }

    /** Woken whenever a signal is queued for the process or one of its threads (signalfd's sighand->signalfd_wqh). */
    public final dev.jux.wait.WaitQueue signalWaiters = new dev.jux.wait.WaitQueue();
    /** Pollers of this process's pidfds: woken when it becomes a zombie and when it is reaped. */
    final dev.jux.wait.WaitQueue exitWaiters = new dev.jux.wait.WaitQueue();

    /** timer_create's timers. */
    public PosixTimers posixTimers() {
        return posixTimers;
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

    void discardPending(long mask) {
        pending.discard(mask);
        for (Task t : tasks) t.discardPending(mask);
    }

    public boolean isExiting() {
        return exiting;
    }

    /** Ends the whole group with a wait status (exit_group, or a fatal signal); first caller wins. */
    public synchronized void exit(int status) {
        if (exiting) return;
        exiting = true;
        waitStatus = status;
        wakeTasks();   // the other threads end at their next trap (zap_other_threads)
    }

    public synchronized int waitStatus() {
        return waitStatus;
    }

    /** Frees what the process holds once its last thread is gone; the zombie keeps only its pid and status. */
    void release() {
        timers.cancel();
        posixTimers.deleteAll();
        files.closeAll();
        accounting.sampleRss(memory().residentPages() * 4);
        memory().release();
    }
}
