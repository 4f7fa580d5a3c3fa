package dev.jux.platform.kvm;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.host.Libc;
import dev.jux.platform.Context;
import dev.jux.platform.GuestRam;
import dev.jux.platform.Platform;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * Runs guest code natively in ring 3 of a KVM virtual machine. One VM per kernel; one vCPU per
 * running guest thread. See docs/platform-kvm.md for the paravirtual KVM this must also work on.
 */
public final class KvmPlatform implements Platform {
    private static final int ENOENT = 2, EACCES = 13, EPERM = 1, EINTR = 4;

    private final int kvmFd;
    private final int vmFd;
    private final GuestRam ram;
    private final int runSize;
    private final MemorySegment cpuid;
    private final long xcr0;
    private final int xsaveSize;
    private final Arena arena = Arena.ofShared();
    private final ArrayDeque<Vcpu> idle = new ArrayDeque<>();
    private int nextSlot;
    /**
     * Held shared by every vCPU inside KVM_RUN and exclusively while the memory slot is
     * re-added. Fair, so that a waiting swap is not starved by vCPUs entering again.
     */
    private final Object flushLock = new Object();
    private static final int FLUSH_SLOT = 1;
    private final MemorySegment flushPage = arena.allocate(4096, 4096);
    private final java.util.concurrent.locks.ReentrantReadWriteLock guestEntry = new java.util.concurrent.locks.ReentrantReadWriteLock(true);
    private final java.util.Set<KvmContext> inGuest = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean translationsStale;
    /**
     * Page tables of address spaces that are gone, released after the next flush (guarded by
     * {@link #flushLock}): until then KVM may still hold shadow pages built from them, and a
     * frame reused as a table meanwhile would be read through its stale shadow.
     */
    private java.util.List<Runnable> retired = new java.util.ArrayList<>();
    private int retiredFrames;
    /** Past this many retired table frames (16 MiB), the next guest entry flushes to free them. */
    static final int MAX_RETIRED_FRAMES = 4096;
    private final SyscallEntry syscallEntry;

    /** A created vCPU, kept for reuse when its thread ends. */
    record Vcpu(int fd, int slot, MemorySegment run) {}

    /** How {@code syscall} reaches the LSTAR stub on this host (see DESIGN.md). */
    public enum SyscallEntry {
        /** Standard KVM: in ring 0, as on hardware. */
        RING0,
        /** Paravirtual KVM: at CPL 3, without a privilege change; the TSS I/O bitmap lets its out through. */
        SAME_PRIVILEGE
    }

    public KvmPlatform(long memoryBytes) {
        kvmFd = Libc.open("/dev/kvm", Libc.O_RDWR | Libc.O_CLOEXEC);
        if (kvmFd < 0) throw new KvmUnavailableException(describeOpenError(-kvmFd));
        if (Libc.ioctl(kvmFd, KvmApi.GET_API_VERSION, 0L) != 12) {
            throw new KvmUnavailableException("/dev/kvm speaks an unknown KVM API version");
        }
        requireCapability(KvmApi.CAP_SYNC_REGS, "sync regs");
        requireCapability(KvmApi.CAP_IMMEDIATE_EXIT, "immediate_exit");
        vmFd = Libc.ioctl(kvmFd, KvmApi.CREATE_VM, 0L);
        if (vmFd < 0) throw new KvmUnavailableException("KVM_CREATE_VM failed: errno " + -vmFd);
        runSize = Libc.ioctl(kvmFd, KvmApi.GET_VCPU_MMAP_SIZE, 0L);
        ram = new GuestRam(memoryBytes, KernelLayout.RESERVED);
        KernelLayout.write(ram);
        setMemorySlot(ram.size());
        setFlushSlot(true);
        cpuid = supportedCpuid();
        xcr0 = CpuFeatures.xcr0(cpuid);
        xsaveSize = CpuFeatures.xsaveSize(cpuid, xcr0);
        requireCapability(KvmApi.CAP_XSAVE, "KVM_GET_XSAVE");
        syscallEntry = detectSyscallEntry();
    }

    private static String describeOpenError(int errno) {
        return switch (errno) {
            case ENOENT -> "/dev/kvm does not exist: Jux needs a Linux host with KVM (load the kvm module, or enable nested virtualization for this VM)";
            case EACCES, EPERM -> "no permission to open /dev/kvm: run as root or add your user to the 'kvm' group";
            default -> "cannot open /dev/kvm: errno " + errno;
        };
    }

    private void requireCapability(int cap, String what) {
        if (Libc.ioctl(kvmFd, KvmApi.CHECK_EXTENSION, cap) <= 0) {
            throw new KvmUnavailableException("this KVM lacks " + what + ", which Jux needs");
        }
    }

    private void setMemorySlot(long size) {
        setMemorySlot(0, 0, size, ram.segment().address());
    }

    /**
     * Adds or removes the one-page slot that exists only to be removed: taking any slot away
     * makes KVM zap every shadow page (kvm_mmu_zap_all_fast), and re-adding a slot costs
     * metadata in proportion to its size (rmaps, lpage_info): ~5.7 ms for the 4 GiB RAM slot,
     * which a fork+exec paid ~8 times, against ~1 ms for this page (most of it the zap).
     * It sits 1 GiB-aligned above guest RAM, where no page table points.
     */
    private void setFlushSlot(boolean present) {
        setMemorySlot(FLUSH_SLOT, (ram.size() + (1L << 30)) & -(1L << 30), present ? 4096 : 0, flushPage.address());
    }

    private void setMemorySlot(int slot, long guestAddress, long size, long hostAddress) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment region = a.allocate(32, 8);
            region.set(ValueLayout.JAVA_INT, 0, slot);                   // slot
            region.set(ValueLayout.JAVA_INT, 4, 0);                      // flags
            region.set(ValueLayout.JAVA_LONG, 8, guestAddress);          // guest_phys_addr
            region.set(ValueLayout.JAVA_LONG, 16, size);                 // memory_size
            region.set(ValueLayout.JAVA_LONG, 24, hostAddress);
            int r = Libc.ioctl(vmFd, KvmApi.SET_USER_MEMORY_REGION, region);
            if (r < 0) throw new KvmUnavailableException("KVM_SET_USER_MEMORY_REGION failed: errno " + -r);
        }
    }

    private MemorySegment supportedCpuid() {
        for (int n = 128; n <= 4096; n *= 2) {
            MemorySegment buf = arena.allocate(8 + 40L * n, 8);
            buf.set(ValueLayout.JAVA_INT, 0, n);
            int r = Libc.ioctl(kvmFd, KvmApi.GET_SUPPORTED_CPUID, buf);
            if (r == 0) return buf;
            if (r != -7 /* E2BIG */) throw new KvmUnavailableException("KVM_GET_SUPPORTED_CPUID failed: errno " + -r);
        }
        throw new KvmUnavailableException("KVM_GET_SUPPORTED_CPUID: too many entries");
    }

    /** Runs a {@code syscall} once on a fresh vCPU and sees at which privilege it lands. */
    private SyscallEntry detectSyscallEntry() {
        Vcpu v = createVcpu();
        KvmContext probe = new KvmContext(this, v, SyscallEntry.SAME_PRIVILEGE);
        SyscallEntry entry = probe.probeSyscallEntry();
        probe.close();
        return entry;
    }

    /** The guest's XCR0. */
    long xcr0() {
        return xcr0;
    }

    /** The size of the guest's standard-format XSAVE image under {@link #xcr0()}. */
    int xsaveSize() {
        return xsaveSize;
    }

    public SyscallEntry syscallEntry() {
        return syscallEntry;
    }

    synchronized Vcpu takeVcpu() {
        Vcpu v = idle.poll();
        return v != null ? v : createVcpu();
    }

    synchronized void returnVcpu(Vcpu v) {
        idle.push(v);
    }

    private Vcpu createVcpu() {
        // Out of vCPUs is the guest's fork failing with EAGAIN (Linux's answer when a process
        // cannot be created for want of a resource), not a kernel error.
        if (nextSlot >= KernelLayout.MAX_SLOTS) throw new LinuxException(Errno.EAGAIN, "out of vCPU slots");
        int fd = Libc.ioctl(vmFd, KvmApi.CREATE_VCPU, nextSlot);
        if (fd < 0) throw new LinuxException(Errno.EAGAIN, "KVM_CREATE_VCPU failed: errno " + -fd);
        int slot = nextSlot++;
        MemorySegment run = Libc.mmap(runSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
        int r = Libc.ioctl(fd, KvmApi.SET_CPUID2, cpuid);
        if (r < 0) throw new IllegalStateException("KVM_SET_CPUID2 failed: errno " + -r);
        VcpuSetup.initialize(fd, slot, xcr0);
        return new Vcpu(fd, slot, run);
    }

    @Override
    public String name() {
        return "kvm";
    }

    @Override
    public GuestRam ram() {
        return ram;
    }

    @Override
    public long[][] kernelPml4Entries() {
        return new long[][] {{KernelLayout.KERNEL_PML4_INDEX, KernelLayout.pml4Entry()}};
    }

    @Override
    public Context newContext() {
        return new KvmContext(this, takeVcpu(), syscallEntry);
    }

    @Override
    public void invalidateTranslations() {
        translationsStale = true;
    }

    /**
     * Data frames of a change {@link #invalidateTranslations} has just marked stale: freed with
     * the retired tables after the flush it asked for (the caller's own return to the guest
     * does it), since another vCPU may store into them until then.
     */
    @Override
    public void releaseAfterInvalidation(int frames, Runnable release) {
        retireTables(frames, release);
    }

    /**
     * Page tables no vCPU walks again: an exited or exec'd process's (a pooled vCPU gets a new
     * CR3 before it next runs), or tables a change replaced by copies. They need no shadow-page
     * zap of their own, which was two of the three flushes of every fork+exec+exit; their
     * frames wait for the next flush (a multi-threaded process's munmap, say, or the one forced
     * when too many wait).
     */
    @Override
    public void retireTables(int tableFrames, Runnable releaseTables) {
        synchronized (flushLock) {
            retired.add(releaseTables);
            retiredFrames += tableFrames;
            if (retiredFrames > MAX_RETIRED_FRAMES) translationsStale = true;
        }
    }

    /**
     * KVM's shadow pages are keyed by the guest frame of the table they shadow: a change made
     * on copies (new frames) is seen at once by the vCPU given the new CR3, and costs no zap
     * of every process's shadow pages (~1-8 ms with a busy guest).
     */
    @Override
    public boolean prefersFreshTables() {
        return true;
    }

    @Override
    public void flushTranslationsNow() {
        flushTranslationsIfStale();
    }

    /**
     * Called by a context before it enters the guest. On the paravirtual KVM a host-side change
     * to a page-table entry the guest has used is not seen even after a TLB flush; deleting and
     * re-adding a memory slot drops every shadow page table (the one-page flush slot: ~1 ms
     * with a busy guest, most of it rebuilding shadow pages afterwards). On standard KVM the
     * same zap also flushes the EPT/NPT-tagged TLB entries, so one method serves both.
     * The swap takes {@link #guestEntry}'s write lock (no vCPU in the guest meanwhile: when the
     * RAM slot itself was swapped, a running vCPU faulted on its page tables), kicking
     * the vCPUs inside KVM_RUN out until it gets it (each KVM_RUN holds the read lock).
     */
    void flushTranslationsIfStale() {
        if (!translationsStale) return;
        // One flusher at a time: the others wait here (not in the write lock's queue, where
        // hundreds of timed tryLocks from a fork bomb's vCPUs livelocked) and then find the
        // flag cleared by the flush they waited for.
        synchronized (flushLock) {
            if (!translationsStale) return;
            var exclusive = guestEntry.writeLock();
            try {
                while (!exclusive.tryLock(500, java.util.concurrent.TimeUnit.MICROSECONDS)) {
                    for (KvmContext c : inGuest) c.kick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            java.util.List<Runnable> freed = retired;
            try {
                translationsStale = false;
                retired = new java.util.ArrayList<>();
                retiredFrames = 0;
                setFlushSlot(false);
                setFlushSlot(true);
            } finally {
                exclusive.unlock();
            }
            for (Runnable release : freed) release.run();
        }
    }

    /** A context is about to enter KVM_RUN: shared hold of {@link #guestEntry}. */
    void enterGuest(KvmContext c) {
        guestEntry.readLock().lock();
        inGuest.add(c);
    }

    void leaveGuest(KvmContext c) {
        inGuest.remove(c);
        guestEntry.readLock().unlock();
    }

    @Override
    public synchronized void close() {
        for (Vcpu v : idle) {
            Libc.munmap(v.run());
            Libc.close(v.fd());
        }
        idle.clear();
        Libc.close(vmFd);
        Libc.close(kvmFd);
        ram.close();
        arena.close();
    }
}
