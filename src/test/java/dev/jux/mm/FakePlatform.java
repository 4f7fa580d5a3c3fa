package dev.jux.mm;

import dev.jux.platform.Context;
import dev.jux.platform.GuestRam;
import dev.jux.platform.Platform;

/**
 * A platform without a CPU, for testing mm/ anywhere: 64 MiB of guest RAM (1 MiB reserved) and
 * a count of the translation flushes asked for. Like KVM's layout, PML4 slot 511 maps a little
 * "kernel" memory: {@link #KERNEL_PAGE} is present and writable, but not user-accessible.
 */
public final class FakePlatform implements Platform {
    static final long P = PageTable.PRESENT, W = PageTable.WRITABLE;
    static final long KERNEL_PDPT = 0x1000, KERNEL_PD = 0x2000, KERNEL_PT = 0x3000, KERNEL_FRAME = 0x4000;
    /** A kernel-half virtual address that the kernel entries map (to {@link #KERNEL_FRAME}). */
    static final long KERNEL_PAGE = 0xffffff8000000000L + KERNEL_FRAME;
    static final long KERNEL_PML4_ENTRY = KERNEL_PDPT | P | W;

    private final GuestRam ram;
    int invalidations;

    public FakePlatform() {
        this(64L << 20);
    }

    FakePlatform(long ramBytes) {
        ram = new GuestRam(ramBytes, 1L << 20);
        ram.putLong(KERNEL_PDPT, KERNEL_PD | P | W);
        ram.putLong(KERNEL_PD, KERNEL_PT | P | W);
        ram.putLong(KERNEL_PT + 8 * (KERNEL_FRAME >>> 12), KERNEL_FRAME | P | W);
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public GuestRam ram() {
        return ram;
    }

    @Override
    public long[][] kernelPml4Entries() {
        return new long[][] {{511, KERNEL_PML4_ENTRY}};
    }

    @Override
    public Context newContext() {
        throw new UnsupportedOperationException("the fake platform runs no guest code");
    }

    @Override
    public void invalidateTranslations() {
        invalidations++;
    }

    @Override
    public void close() {
        ram.close();
    }
}
