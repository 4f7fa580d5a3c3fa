package dev.jux.kernel;

import dev.jux.abi.Rlimit;
import dev.jux.abi.Signal;
import dev.jux.abi.WaitStatus;
import dev.jux.fs.FdTable;
import dev.jux.fs.RootTree;
import dev.jux.fs.procfs.ProcFs;
import dev.jux.fs.procfs.ProcSource;
import dev.jux.fs.procfs.ProcessView;
import dev.jux.fs.vfs.FsContext;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.FrameAllocator;
import dev.jux.platform.Platform;
import dev.jux.host.HostAuxv;
import dev.jux.loader.ElfLoader;
import dev.jux.loader.ExecParameters;
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
    private final long bootNanos = System.nanoTime();
    private volatile UtsName utsName;
    private final Mount rootMount;
    private final java.util.concurrent.ConcurrentSkipListMap<Integer, ThreadGroup> processes = new java.util.concurrent.ConcurrentSkipListMap<>();
    /** The process whose task runs on this Java thread (procfs's "self"). */
    private final ThreadLocal<ThreadGroup> current = new ThreadLocal<>();

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
        this.utsName = UtsName.defaults(hostname);
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

    public UtsName utsName() {
        return utsName;
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

    /** Creates a process with a fresh pid around an address space the caller has filled. */
    public ThreadGroup newProcess(int parentPid, AddressSpace memory, FdTable files, FsContext fs, Credentials credentials) {
        ThreadGroup g = new ThreadGroup(this, nextPid.getAndIncrement(), parentPid, memory, files, fs, credentials);
        processes.put(g.pid(), g);
        return g;
    }

    /** The live process with this pid, or null. */
    public ThreadGroup process(int pid) {
        return processes.get(pid);
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
    public ProcessView find(int pid) {
        return processes.get(pid);
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

    @Override
    public long memoryFreeBytes() {
        return Math.max(0, platform.ram().size() - frames.usedFrames() * FrameAllocator.PAGE);
    }

    @Override
    public String hostname() {
        return utsName.nodename();
    }

    @Override
    public String osRelease() {
        return utsName.release();
    }

    @Override
    public String version() {
        return utsName.version();
    }

    /**
     * Starts the first program (pid 1, parent 0, as root) from an ELF image and runs it to
     * the end; returns its wait status. Exec failures (ENOEXEC, E2BIG) are thrown before
     * anything runs.
     */
    public int runInit(byte[] elfImage, String exePath, List<String> argv, List<String> env, FdTable files) {
        return runInit(elfImage, exePath, argv, env, files, rootMount.rootLocation());
    }

    /** As above, starting in {@code cwd} (a location in this kernel's mount tree). */
    public int runInit(byte[] elfImage, String exePath, List<String> argv, List<String> env, FdTable files, Location cwd) {
        AddressSpace memory = newAddressSpace();
        Credentials creds = Credentials.ROOT;
        byte[] random = new byte[16];
        new java.security.SecureRandom().nextBytes(random);
        ExecParameters params = new ExecParameters(bytes(argv), bytes(env), exePath.getBytes(StandardCharsets.UTF_8),
                creds.uid(), creds.euid(), creds.gid(), creds.egid(), false,
                platform.hardwareCapabilities(), platform.hardwareCapabilities2() & ~HWCAP2_FSGSBASE, HostAuxv.get(AT_MINSIGSTKSZ, 2048),
                new Limits().soft(Rlimit.RLIMIT_STACK), random);
        ElfLoader.Loaded loaded;
        try {
            loaded = ElfLoader.load(memory, elfImage, params);
        } catch (RuntimeException e) {
            memory.destroy();
            throw e;
        }
        // init starts at "/" (or the chosen working directory) with Linux's default umask 022.
        FsContext fs = new FsContext(rootMount.rootLocation(), cwd, 022);
        ThreadGroup init = newProcess(0, memory, files, fs, creds);
        init.setExecutablePath(exePath);
        init.setCommandLine(bytes(argv), bytes(env));
        return runProcess(init, regs -> {
            regs.rip = loaded.entry();
            regs.rsp = loaded.stackPointer();
        });
    }

    private static final long AT_MINSIGSTKSZ = 51;
    /** Jux leaves CR4.FSGSBASE off (see platform/kvm/VcpuSetup), so it must not advertise it. */
    private static final long HWCAP2_FSGSBASE = 2;

    private static List<byte[]> bytes(List<String> strings) {
        return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Runs {@code process}'s first thread, starting at the registers {@code start} set, on the
     * calling Java thread until the process ends; returns its wait status. Used for pid 1.
     */
    public int runProcess(ThreadGroup process, java.util.function.Consumer<dev.jux.platform.UserRegisters> start) {
        Task task = new Task(this, process, process.pid(), platform.newContext());
        start.accept(task.registers());
        ThreadGroup previous = current.get();
        current.set(process);
        try {
            task.run();
        } catch (RuntimeException | StackOverflowError e) {
            log.oops("task " + task.tid() + " crashed the kernel loop", e);
            process.exit(WaitStatus.signaled(Signal.SIGKILL, false));
        } finally {
            task.releaseCpu();
            current.set(previous);
        }
        int status = process.waitStatus();
        if (tracer != null) tracer.exited(task, status);
        processes.remove(process.pid());
        process.release();
        return status;
    }
}
