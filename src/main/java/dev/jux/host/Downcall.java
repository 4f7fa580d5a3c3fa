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

    Downcall(Supplier<MethodHandle> binder) {
        this.binder = binder;
    }

    /** The handle, bound now if this is the first call. */
    MethodHandle get() {
        MethodHandle h = handle;
        if (h == null) {
            synchronized (this) {
                h = handle;
                if (h == null) handle = h = binder.get();
            }
        }
        return h;
    }
}
