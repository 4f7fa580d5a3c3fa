package dev.jux.platform.kvm;

import dev.jux.host.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.jux.platform.kvm.KvmApi.*;

/** The one-time state of a new vCPU: long mode, descriptor tables, syscall MSRs, XCR0. */
final class VcpuSetup {
    private VcpuSetup() {}

    static final long CR0 = 0x80050033L;            // PG, AM, WP, NE, ET, MP, PE
    /**
     * PAE, OSFXSR, OSXMMEXCPT. Not FSGSBASE: with it the guest could move its FS base with
     * wrfsbase behind the kernel's back, and reading the base back costs an ioctl per exit.
     */
    static final long CR4_BASE = 0x20 | 0x200 | 0x400;
    static final long CR4_OSXSAVE = 0x40000;
    static final long EFER = 0xd01;                 // SCE, LME, LMA, NXE
    /** RFLAGS bits cleared on syscall: TF, IF, DF, IOPL, NT, AC. */
    static final long FMASK = 0x47700;

    static void initialize(int vcpuFd, int slot, long xcr0) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(SREGS_SIZE, 8);
            check(Libc.ioctl(vcpuFd, GET_SREGS, s), "KVM_GET_SREGS");
            s.set(ValueLayout.JAVA_LONG, S_CR0, CR0);
            s.set(ValueLayout.JAVA_LONG, S_CR4, CR4_BASE | (xcr0 > 3 ? CR4_OSXSAVE : 0));
            s.set(ValueLayout.JAVA_LONG, S_EFER, EFER);
            s.set(ValueLayout.JAVA_LONG, S_GDT, KernelLayout.virt(KernelLayout.GDT));
            s.set(ValueLayout.JAVA_SHORT, S_GDT + 8, (short) KernelLayout.gdtLimit());
            s.set(ValueLayout.JAVA_LONG, S_IDT, KernelLayout.virt(KernelLayout.IDT));
            s.set(ValueLayout.JAVA_SHORT, S_IDT + 8, (short) KernelLayout.idtLimit());
            segment(s, S_TR, KernelLayout.virt(KernelLayout.slotPage(slot)), KernelLayout.TSS_LIMIT, KernelLayout.tssSelector(slot), 11, 0, false);
            writeKernelSegments(s);
            check(Libc.ioctl(vcpuFd, SET_SREGS, s), "KVM_SET_SREGS");

            setMsrs(vcpuFd, a, new long[][] {
                {MSR_STAR, (long) KernelLayout.USER_CS32 << 48 | (long) KernelLayout.KERNEL_CS << 32},
                {MSR_LSTAR, KernelLayout.virt(KernelLayout.STUBS + KernelLayout.SYSCALL_STUB)},
                {MSR_FMASK, FMASK}});

            if (xcr0 > 3) {
                MemorySegment xcrs = a.allocate(392, 8);
                xcrs.set(ValueLayout.JAVA_INT, 0, 1);
                xcrs.set(ValueLayout.JAVA_INT, 8, 0);
                xcrs.set(ValueLayout.JAVA_LONG, 16, xcr0);
                check(Libc.ioctl(vcpuFd, SET_XCRS, xcrs), "KVM_SET_XCRS");
            }
        }
    }

    /** Ring-0 code and data segments: a vCPU always enters user mode through the return stub's iretq. */
    static void writeKernelSegments(MemorySegment sregs) {
        segment(sregs, S_CS, 0, 0xffffffffL, KernelLayout.KERNEL_CS, 11, 0, true);
        for (long seg : new long[] {S_SS, S_DS, S_ES, S_FS, S_GS}) {
            segment(sregs, seg, 0, 0xffffffffL, KernelLayout.KERNEL_DS, 3, 0, false);
        }
    }

    private static void segment(MemorySegment s, long at, long base, long limit, int selector, int type, int dpl, boolean code64) {
        boolean system = selector >= KernelLayout.FIRST_TSS_SELECTOR;
        s.set(ValueLayout.JAVA_LONG, at + SEG_BASE, base);
        s.set(ValueLayout.JAVA_INT, at + SEG_LIMIT, (int) limit);
        s.set(ValueLayout.JAVA_SHORT, at + SEG_SELECTOR, (short) selector);
        s.set(ValueLayout.JAVA_BYTE, at + SEG_TYPE, (byte) type);
        s.set(ValueLayout.JAVA_BYTE, at + SEG_PRESENT, (byte) 1);
        s.set(ValueLayout.JAVA_BYTE, at + SEG_DPL, (byte) dpl);
        s.set(ValueLayout.JAVA_BYTE, at + SEG_DB, (byte) (system || code64 ? 0 : 1));
        s.set(ValueLayout.JAVA_BYTE, at + SEG_S, (byte) (system ? 0 : 1));
        s.set(ValueLayout.JAVA_BYTE, at + SEG_L, (byte) (code64 ? 1 : 0));
        s.set(ValueLayout.JAVA_BYTE, at + SEG_G, (byte) (system ? 0 : 1));
        s.set(ValueLayout.JAVA_BYTE, at + SEG_UNUSABLE, (byte) 0);
    }

    static void setMsrs(int vcpuFd, Arena a, long[][] msrs) {
        MemorySegment m = a.allocate(8 + 16L * msrs.length, 8);
        m.set(ValueLayout.JAVA_INT, 0, msrs.length);
        for (int i = 0; i < msrs.length; i++) {
            m.set(ValueLayout.JAVA_INT, 8 + 16L * i, (int) msrs[i][0]);
            m.set(ValueLayout.JAVA_LONG, 8 + 16L * i + 8, msrs[i][1]);
        }
        int r = Libc.ioctl(vcpuFd, SET_MSRS, m);
        if (r != msrs.length) throw new IllegalStateException("KVM_SET_MSRS set " + r + " of " + msrs.length);
    }

    private static void check(int r, String what) {
        if (r < 0) throw new IllegalStateException(what + " failed: errno " + -r);
    }
}
