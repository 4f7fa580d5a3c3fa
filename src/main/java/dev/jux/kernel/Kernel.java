package dev.jux.kernel;

import dev.jux.abi.Rlimit;
import dev.jux.abi.Signal;
import dev.jux.abi.WaitStatus;
import dev.jux.fs.FdTable;
import dev.jux.fs.RootTree;
import dev.jux.fs.notify.InotifyUsers;
import dev.jux.fs.procfs.ProcFs;
import dev.jux.fs.procfs.ProcSource;
import dev.jux.fs.procfs.ProcessView;
import dev.jux.fs.vfs.FsContext;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.FrameAllocator;
import dev.jux.platform.Platform;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.PathWalker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kernel: owns the platform, physical memory, the pid space and the system-wide settings,
 * and runs the first process (pid 1) to completion.
 */
public final class Kernel implements ProcSource {
    private final Platform platform;
    private final FrameAllocator frames;
    private final KernelLog log;
    private final SyscallDispatcher syscalls;
    private final TraceSink tracer;
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final Object treeLock = new Object();
    /** Tasks whose Java thread has not finished yet. */
    private final AtomicInteger liveTasks = new AtomicInteger();
    /** How long pid 1's end waits for the other processes to die of SIGKILL. */
    private static final long SHUTDOWN_GRACE_NANOS = 5_000_000_000L;
    private final long bootNanos = System.nanoTime();
    /** The first UTS namespace: pid 1's, and every process's that did not make its own. */
    private final UtsNamespace initialUts;
    private final Mount rootMount;
    private final java.util.concurrent.ConcurrentSkipListMap<Integer, ThreadGroup> processes = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile java.util.concurrent.ScheduledExecutorService timers;
    /** Every task whose thread runs, by tid (tgkill, tkill). */
    private final java.util.concurrent.ConcurrentHashMap<Integer, Task> tasksByTid = new java.util.concurrent.ConcurrentHashMap<>();
    private final Futexes futexes = new Futexes();
    private final dev.jux.ipc.IpcNamespace ipc = new dev.jux.ipc.IpcNamespace(() -> {
        ProcessView p = current();
        return p == null ? 0 : p.pid();
    });
    /** This instance's unix socket names (abstract namespace, bound socket inodes). */
    private final dev.jux.fs.socket.UnixNames unixNames = new dev.jux.fs.socket.UnixNames();
    /** This instance's loopback network: its AF_INET/AF_INET6 port tables. */
    private final dev.jux.fs.socket.Loopback loopback = new dev.jux.fs.socket.Loopback();
    private final PiFutexes piFutexes = new PiFutexes(futexes);
    /** The process whose task runs on this Java thread (procfs's "self"). */
    private final ThreadLocal<ThreadGroup> current = new ThreadLocal<>();
    /** The task running on this Java thread (procfs's "thread-self"). */
    private final ThreadLocal<Task> currentTask = new ThreadLocal<>();
    private final Terminals terminals = new Terminals(this);
    private final InotifyUsers inotifyUsers = new InotifyUsers();
    /** CPU time and counters of every thread that has ended (/proc/stat's totals). */
    private final ProcessUsage endedThreads = new ProcessUsage();
    private final LoadAverage load = new LoadAverage(0);
    /** The CPUs the guest sees (see {@link #cpuCount()}) and the gate that enforces them. */
    private volatile int cpuCount = hostCpus();
    private volatile CpuGate cpuGate = new CpuGate(0);

    public Kernel(Platform platform, KernelLog log, SyscallDispatcher syscalls, TraceSink tracer, String hostname) {
        this(platform, log, syscalls, tracer, hostname, RootTree.create());
    }

    /** A kernel whose mount tree is {@code rootMount} (built by the caller: jux run's --root, --mount, --tmpfs). */
    public Kernel(Platform platform, KernelLog log, SyscallDispatcher syscalls, TraceSink tracer, String hostname, Mount rootMount) {
        this.rootMount = rootMount;
        this.platform = platform;
        this.frames = new FrameAllocator(platform.ram());
        this.log = log;
        this.syscalls = syscalls;
        this.tracer = tracer;
        this.initialUts = new UtsNamespace(UtsName.defaults(hostname));
        ProcFs.bindAll(rootMount, this);
    }

    public Platform platform() {
        return platform;
    }

    public FrameAllocator frames() {
        return frames;
    }

    public KernelLog log() {
        return log;
    }

    public SyscallDispatcher syscalls() {
        return syscalls;
    }

    /** The strace sink, or null when tracing is off. */
    public TraceSink tracer() {
        return tracer;
    }

    /** The kernel's timer thread (setitimer, alarm), started on first use; a daemon. */
    /** Controlling terminals and the console. */
    public Terminals terminals() {
        return terminals;
    }

    /** What each user holds of inotify, against its limits. */
    public InotifyUsers inotifyUsers() {
        return inotifyUsers;
    }

    public java.util.concurrent.ScheduledExecutorService timers() {
        var t = timers;
        if (t != null) return t;
        synchronized (this) {
            if (timers == null) {
                var executor = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                        Thread.ofPlatform().daemon().name("jux-timers").factory());
                executor.setRemoveOnCancelPolicy(true);
                timers = executor;
            }
            return timers;
        }
    }

    /** The host's CPUs as the JVM sees them (its affinity), at most 64 (one affinity word). */
    public static int hostCpus() {
        return Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The number of CPUs the guest sees: /proc/cpuinfo, /sys/devices/system/cpu/online,
     * sched_getaffinity and getcpu all show CPUs 0..cpuCount()-1. By default the host's
     * ({@link #hostCpus()}); {@code jux run --cpus N} sets it with {@link #limitCpus}.
     */
    public int cpuCount() {
        return cpuCount;
    }

    /** The mask of the guest's online CPUs: bits 0..cpuCount()-1. */
    public long onlineCpuMask() {
        int n = cpuCount;
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /**
     * {@code --cpus N}: the guest sees {@code n} CPUs and at most {@code n} of its threads run
     * guest code at once ({@link CpuGate}). Call before the first process starts.
     */
    public void limitCpus(int n) {
        if (n < 1 || n > 64) throw new IllegalArgumentException("cpus: " + n);
        cpuCount = n;
        cpuGate = new CpuGate(n);
    }

    CpuGate cpuGate() {
        return cpuGate;
    }

    /** The first UTS namespace, which pid 1 starts in. */
    UtsNamespace initialUts() {
        return initialUts;
    }

    /** The UTS namespace of the calling process (the first one outside a task). */
    private UtsNamespace currentUts() {
        ThreadGroup g = current.get();
        return g != null ? g.uts() : initialUts;
    }

    /** A thread ended with these figures (it also counts in its process's; this is for the system's totals). */
    void threadEnded(dev.jux.abi.ResourceUsage used) {
        endedThreads.threadEnded(used);
    }

    /** Nanoseconds since this kernel booted (CLOCK_MONOTONIC's origin is the boot). */
    public long uptimeNanos() {
        return System.nanoTime() - bootNanos;
    }

    /** The root of the mount tree (see fs/RootTree). */
    public Mount rootMount() {
        return rootMount;
    }

    public AddressSpace newAddressSpace() {
        return new AddressSpace(platform, frames);
    }

    /**
     * Creates a process with a fresh pid around an address space the caller has filled, as a
     * child of {@code parentPid} (0: none, for pid 1).
     */
    public ThreadGroup newProcess(int parentPid, AddressSpace memory, FdTable files, FsContext fs, Credentials credentials) {
        synchronized (treeLock) {
            ThreadGroup parent = processes.get(parentPid);
            ThreadGroup g = new ThreadGroup(this, nextPid.getAndIncrement(), parent, memory, files, fs, credentials);
            if (parent != null) parent.links.children.add(g);
            processes.put(g.pid(), g);
            return g;
        }
    }

    /** The process with this pid (live or a zombie not yet reaped), or null. */
    public ThreadGroup process(int pid) {
        return processes.get(pid);
    }

    /** Every process, live or zombie, by pid. */
    java.util.Collection<ThreadGroup> processes() {
        return processes.values();
    }

    /**
     * The lock of the process tree (Linux's tasklist_lock): guards every {@link ProcessLinks}
     * field that relates processes (parent, children, groups, sessions, wait state). Taken
     * before any ThreadGroup or Task monitor, never after.
     */
    Object treeLock() {
        return treeLock;
    }

    /** Forgets a reaped process: its pid is free again. Under the tree lock. */
    void remove(ThreadGroup g) {
        processes.remove(g.pid(), g);
    }

    /** The live task with this tid, or null. */
    public Task task(int tid) {
        return tasksByTid.get(tid);
    }

    /** A dying task no longer answers to its tid (before pthread_join can see it gone). */
    void forgetTid(Task task) {
        tasksByTid.remove(task.tid(), task);
    }

    /** execve's de_thread: {@code task} now answers to {@code newTid}. */
    void renumber(Task task, int oldTid, int newTid) {
        tasksByTid.remove(oldTid, task);
        task.takeTid(newTid);
        tasksByTid.put(newTid, task);
    }

    /** The futex wait queues of every address space and shared page. */
    public dev.jux.fs.socket.UnixNames unixNames() {
        return unixNames;
    }

    public dev.jux.fs.socket.Loopback loopback() {
        return loopback;
    }

    /** The System V IPC objects (semaphores, message queues). */
    @Override
    public dev.jux.ipc.IpcNamespace ipc() {
        return ipc;
    }

    public Futexes futexes() {
        return futexes;
    }

    /** The priority-inheritance futexes (FUTEX_LOCK_PI and friends). */
    public PiFutexes piFutexes() {
        return piFutexes;
    }

    /** A fresh pid, or EAGAIN when pids have run out. */
    int allocatePid() {
        int pid = nextPid.getAndIncrement();
        if (pid <= 0) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EAGAIN);
        return pid;
    }

    /** Registers a process fork made (Clone); under the tree lock. */
    void add(ThreadGroup g) {
        processes.put(g.pid(), g);
    }

    /**
     * Starts {@code task} on a Java platform thread of its own (a KVM vCPU is bound to the
     * thread that first runs it). The thread runs the task's trap loop, then the exit path
     * ({@link ProcessExit}). Throws EAGAIN if the JVM cannot start another thread.
     */
    void startTask(Task task) {
        liveTasks.incrementAndGet();
        tasksByTid.put(task.tid(), task);
        try {
            Thread.ofPlatform().name("jux-task-" + task.tid()).daemon(true).start(() -> runTask(task));
        } catch (OutOfMemoryError | IllegalStateException e) {
            tasksByTid.remove(task.tid(), task);
            taskEnded();
            throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EAGAIN, "no thread for a new task");
        }
    }

    private void runTask(Task task) {
        ThreadGroup process = task.group();
        current.set(process);
        currentTask.set(task);
        try {
            task.run();
        } catch (RuntimeException | StackOverflowError e) {
            log.oops("task " + task.tid() + " crashed the kernel loop", e);
            process.exit(WaitStatus.signaled(Signal.SIGKILL, false));
        } finally {
            try {
                task.releaseCpu();
                ProcessExit.taskExited(task);
            } catch (RuntimeException e) {
                log.oops("exit of task " + task.tid(), e);
            } finally {
                tasksByTid.remove(task.tid(), task);
                current.remove();
                currentTask.remove();
                taskEnded();
            }
        }
    }

    private void taskEnded() {
        synchronized (liveTasks) {
            liveTasks.decrementAndGet();
            liveTasks.notifyAll();
        }
    }

    // --- ProcSource (procfs) ---

    @Override
    public ProcessView current() {
        ThreadGroup g = current.get();
        if (g != null) return g;
        // Outside a task (a test, the command line), the one process Jux runs today.
        var first = processes.firstEntry();
        return first == null ? null : first.getValue();
    }

    @Override
    public int currentTid() {
        Task t = currentTask.get();
        if (t != null) return t.tid();
        ProcessView p = current();
        return p == null ? 0 : p.pid();
    }

    @Override
    public ProcessView find(int pid) {
        return processes.get(pid);
    }

    @Override
    public int processOfThread(int tid) {
        Task t = task(tid);
        return t == null ? 0 : t.group().pid();
    }

    @Override
    public List<Integer> pids() {
        return List.copyOf(processes.keySet());
    }

    @Override
    public int lastPid() {
        return nextPid.get() - 1;
    }

    @Override
    public long memoryTotalBytes() {
        return platform.ram().size();
    }

    /** Guest RAM not in use: neither the platform's reserved area (page tables, kernel data) nor a frame handed out. */
    @Override
    public long memoryFreeBytes() {
        return Math.max(0, platform.ram().size() - platform.ram().reservedBytes() - frames.usedFrames() * FrameAllocator.PAGE);
    }

    @Override
    public String hostname() {
        return currentUts().names().nodename();
    }

    @Override
    public void setHostname(byte[] name) {
        String n = UtsName.field(name);
        currentUts().update(u -> u.withNodename(n));
    }

    @Override
    public String domainname() {
        return currentUts().names().domainname();
    }

    @Override
    public void setDomainname(byte[] name) {
        String n = UtsName.field(name);
        currentUts().update(u -> u.withDomainname(n));
    }

    @Override
    public dev.jux.abi.ResourceUsage cpuUsage() {
        synchronized (treeLock) {
            dev.jux.abi.ResourceUsage u = endedThreads.ended();
            for (ThreadGroup g : processes.values()) {
                for (Task t : g.tasks()) u = u.plus(t.usage());
            }
            return u;
        }
    }

    @Override
    public int runnableTasks() {
        int n = 0;
        for (ThreadGroup g : processes.values()) {
            if (g.isZombie() || g.links.stopped) continue;
            for (Task t : g.tasks()) if (!t.isSleeping()) n++;
        }
        return n;
    }

    @Override
    public int taskCount() {
        int n = 0;
        for (ThreadGroup g : processes.values()) n += g.tasks().size();
        return n;
    }

    @Override
    public long[] loadAverages() {
        return load.read(uptimeNanos(), this::runnableTasks);
    }

    @Override
    public String osRelease() {
        return currentUts().names().release();
    }

    @Override
    public String version() {
        return currentUts().names().version();
    }

    /**
     * Starts the first program (pid 1, parent 0, as root) and runs it to the end; returns its
     * wait status. The program is found at {@code path} in this kernel's tree and built by
     * execve's own code ({@link Exec}): #! scripts and dynamic programs work as they do for
     * execve. Exec failures (ENOENT, EACCES, ENOEXEC, E2BIG) are thrown before anything runs.
     */
    public int runInit(String path, List<String> argv, List<String> env, FdTable files) {
        return runInit(path, argv, env, files, rootMount.rootLocation());
    }

    /** As above, starting in {@code cwd} (a location in this kernel's mount tree). */
    public int runInit(String path, List<String> argv, List<String> env, FdTable files, Location cwd) {
        return runInit(path, argv, env, files, cwd, Credentials.ROOT);
    }

    /** As above, running with {@code creds} (jux run --user) instead of as root. */
    public int runInit(String path, List<String> argv, List<String> env, FdTable files, Location cwd, Credentials creds) {
        Location root = rootMount.rootLocation();
        Exec.Caller caller = new Exec.Caller(new PathWalker(root, creds.fsCredentials()), cwd, creds,
                new Limits().soft(Rlimit.RLIMIT_STACK), false);
        ByteString name = ByteString.of(path);
        Location file = Exec.open(this, caller.walker(), name.byteAt(0) == '/' ? root : cwd, name, true);
        Exec.Image image = Exec.prepare(this, caller, file, name.toByteArray(), false, false, bytes(argv), bytes(env));
        // init starts at "/" (or the chosen working directory) with Linux's default umask 022.
        FsContext fs = new FsContext(root, cwd, 022);
        ThreadGroup init = newProcess(0, image.memory(), files, fs, image.credentials());
        Exec.installIdentity(init, image);
        terminals.initStarted(init);
        return runProcess(init, image::initialRegisters);
    }

    private static List<byte[]> bytes(List<String> strings) {
        return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Runs {@code process} (pid 1), starting at the registers {@code start} set, on a task
     * thread of its own, and waits until it ends; returns its wait status. When pid 1 ends,
     * every other process is killed with SIGKILL, as when the init of a Linux pid namespace
     * dies, and this returns once they are gone (or after a grace period, if some task is
     * stuck in a host call: task threads are daemons and do not hold the JVM).
     */
    public int runProcess(ThreadGroup process, java.util.function.Consumer<dev.jux.platform.UserRegisters> start) {
        Task task = new Task(this, process, process.pid(), platform.newContext());
        start.accept(task.registers());
        process.attach(task);
        startTask(task);
        try {
            synchronized (treeLock) {
                while (!process.isZombie()) treeLock.wait();
            }
            long deadline = System.nanoTime() + SHUTDOWN_GRACE_NANOS;
            synchronized (liveTasks) {
                while (liveTasks.get() > 0) {
                    ProcessExit.killAllBut(this, process);
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        log.info("pid 1 ended; " + liveTasks.get() + " task(s) did not end after SIGKILL");
                        break;
                    }
                    liveTasks.wait(Math.min(50, Math.max(1, left / 1_000_000)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (treeLock) {
            processes.clear();
        }
        if (!cpuGate.isOpen()) log.info("--cpus " + cpuCount + ": at most " + cpuGate.peak() + " thread(s) ran guest code at once");
        return process.waitStatus();
    }

    /** Wakes {@link #runProcess}'s wait for pid 1; under the tree lock. */
    void initExited() {
        treeLock.notifyAll();
    }
}
