package dev.jux.host;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * A libc function bound on its first call. Binding a downcall costs a few milliseconds in a
 * fresh JVM, and most file calls are never made in a given run, so binding them all when the
 * class loads would add ~100 ms to every `jux run`. The hot path (KVM_RUN) keeps eager,
 * constant handles in Libc.
 */
final class Downcall {
    private final Supplier<MethodHandle> binder;
    private volatile MethodHandle handle;
    private volatile boolean bound;

    Downcall(Supplier<MethodHandle> binder) {
        this.binder = binder;
    }

    /** The handle, or null for an optional function this libc lacks. */
    MethodHandle get() {
        if (!bound) {
            synchronized (this) {
                if (!bound) {
                    handle = binder.get();
                    bound = true;
                }
            }
        }
        return handle;
    }

    boolean missing() {
        return get() == null;
    }
}
