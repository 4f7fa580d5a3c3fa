package dev.jux.platform.interp;

import dev.jux.platform.Context;
import dev.jux.platform.GuestRam;
import dev.jux.platform.Platform;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs guest code on the pure-Java x86-64 interpreter: no /dev/kvm, no native code beyond the
 * guest RAM mapping. Guest RAM follows the KVM platform's rules (the low {@link #RESERVED}
 * bytes belong to the platform, so frames are numbered alike on both), but the interpreter
 * has no ring 0: nothing lives there and no kernel-half page-table entries are needed.
 *
 * <p>{@link #invalidateTranslations()} bumps a generation counter; every context compares it
 * with the generation its software TLB was filled under before each step (an instruction, a
 * straight line, or a translated block's bounded loop), so a context running on another thread
 * drops its stale translations before its next one. It returns only when every context that is
 * running guest code has done so (Linux's TLB shootdown waits for the other CPUs alike), so
 * the frames a change took out can be freed right after it: a thread that kept storing
 * through its old translation would otherwise write into a frame given to another mapping.
 */
public final class InterpPlatform implements Platform {
    /** Kept like KVM's reservation (its descriptor tables and stubs), though unused here. */
    public static final long RESERVED = 0x100000;

    private final GuestRam ram;
    private final AtomicLong generation = new AtomicLong();
    /** The contexts not yet closed: those running guest code acknowledge each new generation. */
    private final java.util.Set<InterpContext> contexts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The JIT's blocks, shared by every context; null when the JIT is off. */
    private final TranslationCache translations;

    /** A platform with the JIT on unless {@code -Djux.jit=off}. */
    public InterpPlatform(long memoryBytes) {
        this(memoryBytes, true);
    }

    /** {@code jit} false: the pure interpreter ({@code jux run --no-jit}). */
    public InterpPlatform(long memoryBytes, boolean jit) {
        ram = new GuestRam(memoryBytes, RESERVED);
        translations = jit ? TranslationCache.fromSystemProperties() : null;
    }

    /** The JIT's translation cache, or null if the JIT is off. */
    TranslationCache translations() {
        return translations;
    }

    /** A line about the JIT's work so far, for the kernel log; null if the JIT is off. */
    public String jitSummary() {
        return translations == null ? null : translations.toString();
    }

    @Override
    public String name() {
        return "interp";
    }

    @Override
    public GuestRam ram() {
        return ram;
    }

    @Override
    public long[][] kernelPml4Entries() {
        return new long[0][];
    }

    @Override
    public Context newContext() {
        InterpContext c = new InterpContext(this);
        contexts.add(c);
        return c;
    }

    /** {@code c} is closed: it runs no more guest code. */
    void closed(InterpContext c) {
        contexts.remove(c);
    }

    /** Bumps the generation and waits until no context runs guest code on translations from before (see the class comment). */
    @Override
    public void invalidateTranslations() {
        long g = generation.incrementAndGet();
        for (InterpContext c : contexts) c.awaitGeneration(g);
    }

    /**
     * The kernel's futex CASes are atomic against locked instructions that commit by
     * compare-and-set (LockedAccess) by themselves; the lock keeps them atomic against the
     * split locks and CMPXCHG16Bs that run under it.
     */
    @Override
    public <T> T atomically(java.util.function.Supplier<T> readModifyWrite) {
        synchronized (Executor.BUS_LOCK) {
            return readModifyWrite.get();
        }
    }

    /** Changes with every {@link #invalidateTranslations()}; a volatile read. */
    long generation() {
        return generation.get();
    }

    @Override
    public void close() {
        if (translations != null) translations.close();
        ram.close();
    }

    /** AT_HWCAP is CPUID leaf 1 EDX of the interpreter's own CPU model, not the host's. */
    @Override
    public long hardwareCapabilities() {
        return CpuidModel.LEAF1_EDX & 0xffff_ffffL;
    }

    /** No AT_HWCAP2 bits (RING3MWAIT, FSGSBASE): the model has neither. */
    @Override
    public long hardwareCapabilities2() {
        return 0;
    }
}
