package dev.jux.platform.kvm;

import dev.jux.host.Libc;
import dev.jux.platform.Context;
import dev.jux.platform.ExtendedState;
import dev.jux.platform.Trap;
import dev.jux.platform.UserRegisters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.jux.platform.kvm.KvmApi.*;

/**
 * One vCPU running one guest thread. Registers travel through KVM's sync-regs area of kvm_run,
 * so a syscall round trip costs one KVM_RUN ioctl and no other.
 *
 * <p>Ways back to user mode: when the last exit left the vCPU at CPL 3 (the syscall stub on a
 * paravirtual KVM, or an interrupted user instruction), Jux just rewrites the registers. When
 * it left it in a ring-0 stub (an exception, or a syscall on standard KVM), Jux writes an
 * interrupt frame on the slot's ring-0 stack and resumes at the return stub, whose iretq drops
 * to ring 3 with exactly the registers the kernel chose.
 */
final class KvmContext implements Context {
    /** The host real-time signal that kicks a vCPU thread out of KVM_RUN; unused by the JVM. */
    static final int KICK_SIGNAL = 42;
    private static final int EINTR = 4, EAGAIN = 11;
    private static final long FRAME_SIZE = 48;
    /** RFLAGS bits user code may set (Linux's FIX_EFLAGS): CF PF AF ZF SF TF DF OF AC ID; never IOPL. */
    private static final long USER_FLAGS = 0x240dd5L;

    private final KvmPlatform platform;
    private final KvmPlatform.Vcpu vcpu;
    private final MemorySegment run;
    private final SyncRegisters sync;
    private final UserRegisters regs = new UserRegisters();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment kickSet;
    private final MemorySegment zeroTimespec;
    private final MemorySegment xsave;

    private final boolean syscallAtCpl3;
    private boolean inRing0Stub;
    private long pageTableRoot = -1;
    private boolean rootChanged;
    private long loadedFsBase, loadedGsBase;
    private volatile int boundTid;
    /**
     * A kick signal was sent and not yet drained. The kick signal is a real-time signal, so
     * every tgkill queues one more instance, and each counts against the user's
     * RLIMIT_SIGPENDING until drained: a task that sits in a long blocking call while a
     * periodic timer kicks it would pile them up (and starve native processes of the same
     * user, whose sigqueue then fails with EAGAIN). One pending instance is all a kick needs.
     */
    private final java.util.concurrent.atomic.AtomicBoolean kickSent = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean closed;

    KvmContext(KvmPlatform platform, KvmPlatform.Vcpu vcpu, KvmPlatform.SyscallEntry entry) {
        this.platform = platform;
        this.vcpu = vcpu;
        this.run = vcpu.run();
        this.sync = new SyncRegisters(run);
        this.kickSet = Libc.sigset(arena, KICK_SIGNAL);
        this.zeroTimespec = arena.allocate(16, 8);
        this.xsave = arena.allocate(XSAVE_BUFFER, 64);
        // Only the general registers travel with every exit: syncing the segment registers too
        // costs ~0.5 us per exit on the paravirtual KVM. CR2 and the CPL are read on demand.
        run.set(ValueLayout.JAVA_LONG, RUN_VALID_REGS, SYNC_REGS);
        this.syscallAtCpl3 = entry == KvmPlatform.SyscallEntry.SAME_PRIVILEGE;
        // A reused vCPU may have stopped anywhere; a fresh start goes to user mode by iretq.
        resetToKernelMode();
    }

    @Override
    public UserRegisters registers() {
        return regs;
    }

    @Override
    public void setPageTableRoot(long pml4) {
        if (pml4 != pageTableRoot) {
            pageTableRoot = pml4;
            rootChanged = true;
        }
    }

    /** KVM_GET_XSAVE: KVM hands out the standard (non-compacted) format. An ioctl, not an exit. */
    @Override
    public byte[] extendedState() {
        check(Libc.ioctl(vcpu.fd(), GET_XSAVE, xsave), "KVM_GET_XSAVE");
        byte[] image = new byte[platform.xsaveSize()];
        MemorySegment.copy(xsave, ValueLayout.JAVA_BYTE, 0, image, 0, image.length);
        return image;
    }

    @Override
    public void setExtendedState(byte[] image) {
        byte[] full = ExtendedState.initial(platform.xsaveSize());
        System.arraycopy(image, 0, full, 0, Math.min(image.length, full.length));
        String bad = ExtendedState.invalidReason(full, platform.xcr0());
        if (bad != null) throw new IllegalArgumentException("XSAVE image: " + bad);
        xsave.fill((byte) 0);
        MemorySegment.copy(full, 0, xsave, ValueLayout.JAVA_BYTE, 0, full.length);
        int r = Libc.ioctl(vcpu.fd(), SET_XSAVE, xsave);
        if (r < 0) throw new IllegalArgumentException("KVM_SET_XSAVE refused the image: errno " + -r);
    }

    @Override
    public long extendedFeatures() {
        return platform.xcr0();
    }

    @Override
    public void kick() {
        run.set(ValueLayout.JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 1);
        int tid = boundTid;
        if (tid != 0 && kickSent.compareAndSet(false, true)) Libc.tgkill(Libc.getpid(), tid, KICK_SIGNAL);
    }

    @Override
    public Trap run() {
        if (boundTid == 0) bindToThread();
        platform.flushTranslationsIfStale();
        if (rootChanged) loadPageTableRoot();
        if (regs.fsBase != loadedFsBase || regs.gsBase != loadedGsBase) loadSegmentBases();
        if (!isCanonical(regs.rip)) return Trap.exception(Trap.GP, 0, 0);
        loadRegisters();
        while (true) {
            int r = enterGuest();
            if (r == -EINTR || (r == 0 && exitReason() == EXIT_INTR)) {
                clearKick();
                if (cpl() == 0) {
                    if (inReturnStub()) {
                        // Stopped on the way back to user mode (a kick that came before run(),
                        // or right after an exception): no user instruction ran, regs still
                        // hold what the kernel chose, and the next run rebuilds the frame.
                        // Letting the stub finish would drop into user code with the kick
                        // consumed, and a guest spinning in a loop would never see it.
                        return Trap.INTERRUPTED_TRAP;
                    }
                    // Interrupted inside an entry stub, which ends in an exit to Jux a few
                    // instructions on: let it finish and report what it was doing. The kick
                    // is not lost: the kernel checks for pending work at every trap.
                    sync.keepVcpuState();
                    continue;
                }
                storeUserRegisters();
                inRing0Stub = false;
                return Trap.INTERRUPTED_TRAP;
            }
            if (r < 0) return Trap.platformError("KVM_RUN failed: errno " + -r);
            return decodeExit();
        }
    }

    private Trap decodeExit() {
        int reason = exitReason();
        switch (reason) {
            case EXIT_IO -> {
                int port = run.get(ValueLayout.JAVA_SHORT, RUN_IO_PORT) & 0xffff;
                long rip = sync.get(R_RIP);
                if (port == KernelLayout.SYSCALL_PORT && rip == stub(KernelLayout.SYSCALL_STUB_EXIT)) {
                    storeUserRegisters();
                    // syscall left the return address in RCX and the flags in R11, as on Linux.
                    regs.rip = regs.rcx;
                    regs.rflags = regs.r11;
                    inRing0Stub = !syscallAtCpl3;
                    return Trap.SYSCALL_TRAP;
                }
                // Only the ring-0 stubs can reach the exception ports: the I/O bitmap keeps them
                // closed to user code.
                if (port >= KernelLayout.EXCEPTION_PORT_BASE
                        && port < KernelLayout.EXCEPTION_PORT_BASE + KernelLayout.VECTORS) {
                    return exceptionFromStub(port - KernelLayout.EXCEPTION_PORT_BASE);
                }
                // User code ran out to the one port the I/O bitmap opens for the paravirtual
                // syscall entry. Linux would raise #GP for it.
                storeUserRegisters();
                inRing0Stub = false;
                return Trap.exception(Trap.GP, 0, 0);
            }
            case EXIT_SHUTDOWN -> {
                return Trap.platformError("triple fault at rip " + Long.toHexString(sync.get(R_RIP)));
            }
            case EXIT_FAIL_ENTRY -> {
                return Trap.platformError("VM entry failed, hardware reason 0x" + Long.toHexString(run.get(ValueLayout.JAVA_LONG, RUN_HW_REASON)));
            }
            case EXIT_INTERNAL_ERROR -> {
                return Trap.platformError("KVM internal error, suberror " + run.get(ValueLayout.JAVA_INT, RUN_HW_REASON));
            }
            default -> {
                return Trap.platformError("unexpected KVM exit " + reason + " at rip " + Long.toHexString(sync.get(R_RIP)));
            }
        }
    }

    /** An exception stub ran: the CPU's interrupt frame is on the slot's ring-0 stack. */
    private Trap exceptionFromStub(int vector) {
        long frame = sync.get(R_RSP) - KernelLayout.KERNEL_BASE;
        long slotPage = KernelLayout.slotPage(vcpu.slot());
        if (frame < slotPage || frame + FRAME_SIZE > slotPage + 0x1000) {
            return Trap.platformError("exception " + vector + " with ring-0 stack outside its slot");
        }
        var ram = platform.ram();
        long errorCode = ram.getLong(frame);
        long cs = ram.getLong(frame + 16);
        long cr2 = vector == Trap.PF ? readSregs(S_CR2) : 0;
        inRing0Stub = true;
        if ((cs & 3) != 3) {
            // The fault happened in ring 0: the return stub's iretq refused the frame the kernel
            // built (a bad segment or a non-canonical address). The user state is the one the
            // kernel asked for, so it stays; report the fault against it.
            return Trap.exception(vector == Trap.PF ? Trap.PF : Trap.GP, errorCode, cr2);
        }
        sync.readGeneral(regs);
        regs.rip = ram.getLong(frame + 8);
        regs.rflags = ram.getLong(frame + 24);
        regs.rsp = ram.getLong(frame + 32);
        return Trap.exception(vector, errorCode, vector == Trap.PF ? cr2 : 0);
    }

    private void loadRegisters() {
        sync.writeGeneral(regs);
        long userFlags = (regs.rflags & USER_FLAGS) | 0x2 | 0x200;
        if (inRing0Stub) {
            long top = KernelLayout.ring0StackTop(vcpu.slot());
            long frame = top - FRAME_SIZE - KernelLayout.KERNEL_BASE;
            var ram = platform.ram();
            ram.putLong(frame, 0);
            ram.putLong(frame + 8, regs.rip);
            ram.putLong(frame + 16, KernelLayout.USER_CS);
            ram.putLong(frame + 24, userFlags);
            ram.putLong(frame + 32, regs.rsp);
            ram.putLong(frame + 40, KernelLayout.USER_DS);
            sync.resumeAt(stub(KernelLayout.RETURN_STUB), top - FRAME_SIZE, 0x2);
        } else {
            sync.resumeAt(regs.rip, regs.rsp, userFlags);
        }
    }

    private void storeUserRegisters() {
        sync.readGeneral(regs);
        regs.rsp = sync.get(R_RSP);
        regs.rip = sync.get(R_RIP);
        regs.rflags = sync.get(R_RFLAGS);
    }

    /** True while the vCPU is in the return stub ({@code add rsp, 8 ; iretq}), before the iretq. */
    private boolean inReturnStub() {
        long rip = sync.get(R_RIP);
        return rip >= stub(KernelLayout.RETURN_STUB) && rip < stub(KernelLayout.RETURN_STUB) + KernelLayout.RETURN_STUB_SIZE;
    }

    private int exitReason() {
        return run.get(ValueLayout.JAVA_INT, RUN_EXIT_REASON);
    }

    private int cpl() {
        return (int) (readSregs(S_CS + SEG_SELECTOR) & 3);
    }

    /** One 8-byte field of the vCPU's segment registers, with a KVM_GET_SREGS (off the syscall path). */
    private long readSregs(long offset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SREGS_SIZE, 8);
            check(Libc.ioctl(vcpu.fd(), GET_SREGS, s), "KVM_GET_SREGS");
            return s.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        }
    }

    private static long stub(long offset) {
        return KernelLayout.virt(KernelLayout.STUBS + offset);
    }

    static boolean isCanonical(long address) {
        return (address >> 47) == 0 || (address >> 47) == -1;
    }

    private void loadPageTableRoot() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SREGS_SIZE, 8);
            check(Libc.ioctl(vcpu.fd(), GET_SREGS, s), "KVM_GET_SREGS");
            s.set(ValueLayout.JAVA_LONG, S_CR3, pageTableRoot);
            check(Libc.ioctl(vcpu.fd(), SET_SREGS, s), "KVM_SET_SREGS");
        }
        rootChanged = false;
    }

    private void resetToKernelMode() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SREGS_SIZE, 8);
            check(Libc.ioctl(vcpu.fd(), GET_SREGS, s), "KVM_GET_SREGS");
            VcpuSetup.writeKernelSegments(s);
            check(Libc.ioctl(vcpu.fd(), SET_SREGS, s), "KVM_SET_SREGS");
        }
        inRing0Stub = true;
        loadedFsBase = loadedGsBase = 0;
        regs.fsBase = regs.gsBase = 0;
    }

    private void loadSegmentBases() {
        try (Arena a = Arena.ofConfined()) {
            VcpuSetup.setMsrs(vcpu.fd(), a, new long[][] {{MSR_FS_BASE, regs.fsBase}, {MSR_GS_BASE, regs.gsBase}});
        }
        loadedFsBase = regs.fsBase;
        loadedGsBase = regs.gsBase;
    }

    /**
     * Blocks the kick signal in this thread, except inside KVM_RUN (KVM_SET_SIGNAL_MASK). So a
     * kick can only interrupt KVM_RUN, needs no handler, and one sent while the thread is in
     * Java stays pending and makes the next KVM_RUN return at once.
     */
    private void bindToThread() {
        Libc.pthreadSigmask(Libc.SIG_BLOCK, kickSet);
        drainKickSignals();   // late kicks meant for an earlier context of this thread
        MemorySegment mask = arena.allocate(4 + 8, 8);
        mask.set(ValueLayout.JAVA_INT, 0, 8);          // the kernel's sigset_t is 8 bytes
        check(Libc.ioctl(vcpu.fd(), SET_SIGNAL_MASK, mask), "KVM_SET_SIGNAL_MASK");
        boundTid = Libc.gettid();
    }

    /**
     * One KVM_RUN. Only the ioctl itself excludes the platform's memory-slot swap: a vCPU
     * stopped halfway through an entry stub is harmless while the slot is away, and holding
     * the exclusion across the stub's "continue" could let repeated kicks starve it.
     */
    private int enterGuest() {
        platform.enterGuest(this);
        try {
            return Libc.ioctl(vcpu.fd(), RUN, 0L);
        } finally {
            platform.leaveGuest(this);
        }
    }

    private void clearKick() {
        run.set(ValueLayout.JAVA_BYTE, RUN_IMMEDIATE_EXIT, (byte) 0);
        // A kick after this point sends a fresh signal: drained below, or it makes the next
        // KVM_RUN return at once. Either way the kernel looks at its state again.
        kickSent.set(false);
        drainKickSignals();
    }

    private void drainKickSignals() {
        while (Libc.sigtimedwaitNow(kickSet, zeroTimespec) == KICK_SIGNAL) {
            // drain: several kicks may have arrived
        }
    }

    /**
     * Start-up probe: executes one {@code syscall} in ring 3 and reports at which privilege
     * level the LSTAR stub runs, with throwaway page tables.
     */
    KvmPlatform.SyscallEntry probeSyscallEntry() {
        setPageTableRoot(KernelLayout.writeProbe(platform.ram()));
        regs.rip = KernelLayout.PROBE_USER_ADDRESS;
        regs.rsp = KernelLayout.PROBE_USER_ADDRESS + 0x800;
        regs.rflags = 0x202;
        Trap t = run();
        if (t.kind() != Trap.Kind.SYSCALL) {
            throw new KvmUnavailableException("KVM start-up probe: syscall did not reach Jux (" + t + ")");
        }
        return cpl() == 0 ? KvmPlatform.SyscallEntry.RING0 : KvmPlatform.SyscallEntry.SAME_PRIVILEGE;
    }

    /**
     * For {@link KvmExitBench}: runs guest code that loops on {@code out port} for
     * {@code exits} round trips and returns the nanoseconds each took.
     */
    double benchmarkExits(int exits, int port) {
        if (boundTid == 0) bindToThread();
        if (rootChanged) loadPageTableRoot();
        loadRegisters();
        long t0 = System.nanoTime();
        for (int i = 0; i < exits; i++) {
            int r = Libc.ioctl(vcpu.fd(), RUN, 0L);
            if (r < 0 || exitReason() != EXIT_IO || (run.get(ValueLayout.JAVA_SHORT, RUN_IO_PORT) & 0xffff) != port) {
                throw new IllegalStateException("benchmark guest stopped unexpectedly: ioctl " + r + ", exit " + exitReason());
            }
        }
        return (System.nanoTime() - t0) / (double) exits;
    }

    /** For {@link KvmExitBench}: guest code loops on {@code syscall}; each returns straight to RCX. */
    double benchmarkSyscalls(int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            Trap t = run();
            if (t.kind() != Trap.Kind.SYSCALL) throw new IllegalStateException("benchmark guest stopped: " + t);
        }
        return (System.nanoTime() - t0) / (double) calls;
    }

    private static void check(int r, String what) {
        if (r < 0) throw new IllegalStateException(what + " failed: errno " + -r);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        boolean boundHere = boundTid == Libc.gettid();
        boundTid = 0;
        if (boundHere) {
            // The kick signal stays blocked in this thread for good. A kick that came after
            // the last run (the task was in Java, then exited) is still pending, and one that
            // races with close can arrive after any drain: unblocked, a real-time signal's
            // default action would end the JVM. Pending, it is harmless; drained here and
            // when the thread binds its next context.
            clearKick();
        }
        platform.returnVcpu(vcpu);
        arena.close();
    }
}
