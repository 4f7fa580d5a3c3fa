package dev.jux.platform;

/**
 * Where guest instructions run: KVM (platform/kvm) or the interpreter (platform/interp). The
 * kernel above sees only this interface, {@link Context} and {@link GuestRam}.
 */
public interface Platform extends AutoCloseable {
    String name();

    /** Guest physical memory shared by every address space of this kernel. */
    GuestRam ram();

    /**
     * The top-level page-table entries that every address space must carry for the platform's
     * own mappings (index 256..511 only, the kernel half), as {index, entry} pairs.
     */
    long[][] kernelPml4Entries();

    /** A new CPU context for one guest thread; LinuxException(EAGAIN) when the platform has no more CPUs to give. */
    Context newContext();

    /**
     * Page-table entries were made less permissive or removed (munmap, mprotect, copy-on-write):
     * make sure no CPU keeps using a stale translation before it next runs guest code. A CPU
     * running guest code at the time may go on using one until the platform's flush takes
     * effect; {@link #releaseAfterInvalidation} waits for that.
     */
    void invalidateTranslations();

    /**
     * Runs {@code release}, which frees {@code frames} data frames the change just invalidated
     * took out of the page tables (munmap, MADV_DONTNEED, a copy-on-write break), once no CPU
     * can use a translation from before that {@link #invalidateTranslations} call: freed
     * earlier, a frame could serve another mapping (or another process) while a thread still
     * stored into it through its old one. Linux's munmap returns only after its TLB shootdown,
     * for the same reason. By default at once: for a platform whose invalidation returns only
     * when every CPU has dropped its stale translations.
     */
    default void releaseAfterInvalidation(int frames, Runnable release) {
        release.run();
    }

    /**
     * Page tables no CPU will walk again (an address space that is gone, or tables replaced by
     * copies: {@link #prefersFreshTables}); their data pages are dealt with by the caller.
     * {@code releaseTables} gives the {@code tableFrames} frames back; the platform runs it
     * once no CPU can hold a translation cached from those tables, so a frame never serves as
     * another table while a stale copy of its old contents may be used. By default: invalidate
     * and release at once.
     */
    default void retireTables(int tableFrames, Runnable releaseTables) {
        invalidateTranslations();
        releaseTables.run();
    }

    /**
     * True if a change that narrows the page tables of a single-threaded process is cheaper
     * made on copies of the tables it touches (then the CPU is pointed at the new root and the
     * old tables are retired) than by {@link #invalidateTranslations}: on KVM the latter drops
     * the cached translations of every process.
     */
    default boolean prefersFreshTables() {
        return false;
    }

    /**
     * Drops stale translations on every CPU now, rather than before the caller next runs guest
     * code: for a change other CPUs of the same address space must not outlive, such as fork's
     * copy-on-write marking while sibling threads run (the child must not see their later
     * writes). By default a no-op: a platform that checks before each guest entry needs nothing.
     */
    default void flushTranslationsNow() {}

    /**
     * Runs a read-modify-write of guest memory that the kernel makes (a futex word's CAS) so
     * that it is atomic against the guest's locked instructions on every CPU. Hardware CPUs
     * (KVM) need nothing beyond a real CAS; so does the interpreter, whose locked
     * instructions are compare-and-sets on guest RAM, except for the few it runs under a lock
     * of its own (split locks, CMPXCHG16B), which this takes too.
     */
    default <T> T atomically(java.util.function.Supplier<T> readModifyWrite) {
        return readModifyWrite.get();
    }

    /**
     * AT_HWCAP for new programs: CPUID leaf 1 EDX of the CPU the guest runs on. By default the
     * host's (KVM shows the guest the host CPU); the interpreter reports its own model.
     */
    default long hardwareCapabilities() {
        return dev.jux.host.HostAuxv.get(16, 0);
    }

    /** AT_HWCAP2 for new programs (before the kernel drops what it does not enable). */
    default long hardwareCapabilities2() {
        return dev.jux.host.HostAuxv.get(26, 0);
    }

    @Override
    void close();
}
