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
    /** As KVM: narrowing changes of a single-threaded process go to fresh tables. */
    boolean freshTables;
    /** Table frames handed to {@link #retireTables}, not yet given back. */
    long retiredFrames;
    final java.util.List<Runnable> retired = new java.util.ArrayList<>();

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
    public boolean prefersFreshTables() {
        return freshTables;
    }

    /** With {@link #freshTables}, as KVM: kept until {@link #releaseRetired}; otherwise Platform's default. */
    @Override
    public void retireTables(int tableFrames, Runnable releaseTables) {
        if (!freshTables) {
            Platform.super.retireTables(tableFrames, releaseTables);
            return;
        }
        retiredFrames += tableFrames;
        retired.add(releaseTables);
    }

    /** With {@link #freshTables}, as KVM: kept with the retired tables until {@link #releaseRetired}. */
    @Override
    public void releaseAfterInvalidation(int frames, Runnable release) {
        if (freshTables) retireTables(frames, release);
        else release.run();
    }

    /** What a flush does on KVM: the retired tables' frames go back to the allocator. */
    void releaseRetired() {
        retired.forEach(Runnable::run);
        retired.clear();
        retiredFrames = 0;
    }

    /** A CPU that only records the page-table root it is given. */
    static final class RootRecorder implements Context {
        long root = -1;

        @Override
        public dev.jux.platform.UserRegisters registers() {
            return new dev.jux.platform.UserRegisters();
        }

        @Override
        public void setPageTableRoot(long pml4) {
            root = pml4;
        }

        @Override
        public dev.jux.platform.Trap run() {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] extendedState() {
            return new byte[0];
        }

        @Override
        public void setExtendedState(byte[] image) {}

        @Override
        public long extendedFeatures() {
            return 0;
        }

        @Override
        public void kick() {}

        @Override
        public void close() {}
    }

    @Override
    public void close() {
        ram.close();
    }
}
