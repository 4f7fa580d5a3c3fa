package dev.jux.platform.kvm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads a struct kvm_cpuid2 (as KVM_GET_SUPPORTED_CPUID fills it). */
final class CpuFeatures {
    private CpuFeatures() {}

    /** x87, SSE, AVX, and the three AVX-512 state components: what glibc's ifuncs look for. */
    private static final long XCR0_WANTED = 0x1 | 0x2 | 0x4 | 0x20 | 0x40 | 0x80;

    /** Finds leaf {@code function}/{@code index}; returns {eax, ebx, ecx, edx} or null. */
    static int[] leaf(MemorySegment cpuid2, int function, int index) {
        int n = cpuid2.get(ValueLayout.JAVA_INT, 0);
        for (int i = 0; i < n; i++) {
            long e = 8 + 40L * i;
            if (cpuid2.get(ValueLayout.JAVA_INT, e) == function
                    && ((cpuid2.get(ValueLayout.JAVA_INT, e + 8) & 1) == 0 || cpuid2.get(ValueLayout.JAVA_INT, e + 4) == index)) {
                return new int[] {cpuid2.get(ValueLayout.JAVA_INT, e + 12), cpuid2.get(ValueLayout.JAVA_INT, e + 16),
                        cpuid2.get(ValueLayout.JAVA_INT, e + 20), cpuid2.get(ValueLayout.JAVA_INT, e + 24)};
            }
        }
        return null;
    }

    /** The XCR0 value to give the guest: the supported state components Jux enables. */
    static long xcr0(MemorySegment cpuid2) {
        int[] d = leaf(cpuid2, 0xd, 0);
        if (d == null) return 0x3;
        long supported = (d[0] & 0xffffffffL) | (long) d[3] << 32;
        long x = supported & XCR0_WANTED;
        // AVX-512 state is all or nothing, and needs AVX.
        if ((x & 0xe0) != 0xe0 || (x & 0x4) == 0) x &= ~0xe0L;
        return x | 0x3;
    }

    /**
     * The size of the standard-format XSAVE image for {@code xcr0}: the end of the highest
     * enabled component (CPUID leaf 0xD sub-leaf i: EAX = size, EBX = offset), at least the
     * legacy region and header (576 bytes).
     */
    static int xsaveSize(MemorySegment cpuid2, long xcr0) {
        int size = 576;
        for (int i = 2; i < 64; i++) {
            if ((xcr0 & (1L << i)) == 0) continue;
            int[] c = leaf(cpuid2, 0xd, i);
            if (c != null) size = Math.max(size, c[0] + c[1]);
        }
        return size;
    }
}
