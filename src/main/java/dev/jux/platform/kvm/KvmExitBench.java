package dev.jux.platform.kvm;

import dev.jux.platform.GuestRam;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Measures the floor under every Jux system call: a bare KVM exit round trip (an {@code out}
 * from ring 3 straight back into the guest), driven from Java through the same FFM ioctl path
 * Jux uses. bench/run compares it with a getppid() round trip under Jux.
 */
public final class KvmExitBench {
    private KvmExitBench() {}


    /** What the guest loop does to leave the VM. */
    public enum Kind {
        /** {@code out} to the syscall port: the cheapest exit there is. */
        BARE_EXIT,
        /** {@code syscall} through Jux's LSTAR stub and back: the floor under every system call. */
        SYSCALL
    }

    /** Returns nanoseconds per round trip over {@code iterations} exits. */
    public static double measure(Kind kind, int iterations) {
        try (KvmPlatform platform = new KvmPlatform(64L << 20)) {
            GuestRam ram = platform.ram();
            // User code in the first free frame: out to the syscall port (the one the TSS I/O bitmap
            // opens on the paravirtual KVM), jmp back to the out.
            long codePhys = KernelLayout.RESERVED, pml4 = codePhys + 0x1000, pdpt = pml4 + 0x1000,
                    pd = pdpt + 0x1000, pt = pd + 0x1000;
            MemorySegment m = ram.segment();
            byte[] code = kind == Kind.BARE_EXIT
                    ? new byte[] {(byte) 0xe6, (byte) KernelLayout.SYSCALL_PORT, (byte) 0xeb, (byte) 0xfc}
                    : new byte[] {0x0f, 0x05, (byte) 0xeb, (byte) 0xfc};
            MemorySegment.copy(code, 0, m, ValueLayout.JAVA_BYTE, codePhys, code.length);
            long codeVirt = 0x400000;
            ram.putLong(pml4, pdpt | 7);
            ram.putLong(pml4 + 8L * KernelLayout.KERNEL_PML4_INDEX, KernelLayout.pml4Entry());
            ram.putLong(pdpt, pd | 7);
            ram.putLong(pd + 8 * 2, pt | 7);
            ram.putLong(pt, codePhys | 5);
            try (KvmContext ctx = (KvmContext) platform.newContext()) {
                ctx.setPageTableRoot(pml4);
                ctx.registers().rip = codeVirt;
                ctx.registers().rflags = 0x202;
                ctx.registers().rsp = codeVirt + 0x800;
                return kind == Kind.BARE_EXIT
                        ? ctx.benchmarkExits(iterations, KernelLayout.SYSCALL_PORT)
                        : ctx.benchmarkSyscalls(iterations);
            }
        }
    }
}
