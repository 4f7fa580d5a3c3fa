package dev.jux.host;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * A libc function bound on its first call: the few host calls that are not plain system calls
 * (see {@link Libc}), each a downcall shape of its own, which costs ~10 ms to bind in a fresh
 * JVM: only the runs that make the call pay for it.
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
