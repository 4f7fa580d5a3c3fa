package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/**
 * A thread's alternate signal stack (sigaltstack(2)), Linux's sas_ss_sp/sas_ss_size/sas_ss_flags.
 * {@code flags} is what the caller set: SS_DISABLE, or 0 with SS_AUTODISARM possibly or'ed in.
 */
public record AltStack(long sp, long size, int flags) {
    public static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;
    /** The flag bits beyond the mode (Linux's SS_FLAG_BITS). */
    public static final int SS_FLAG_BITS = SS_AUTODISARM;
    /** MINSIGSTKSZ: sigaltstack refuses smaller stacks with ENOMEM. */
    public static final long MIN_SIZE = 2048;
    /** stack_t: ss_sp (8), ss_flags (int, padded to 8), ss_size (8). */
    public static final int OFFSET_SP = 0, OFFSET_FLAGS = 8, OFFSET_SIZE = 16, STRUCT_SIZE = 24;

    public static final AltStack DISABLED = new AltStack(0, 0, SS_DISABLE);

    /** __on_sig_stack: {@code sp} lies in the stack (it grows down, so the top is inside and the base is not). */
    public boolean contains(long sp) {
        return Long.compareUnsigned(sp, this.sp) > 0 && Long.compareUnsigned(sp - this.sp, size) <= 0;
    }

    /** on_sig_stack: with SS_AUTODISARM the kernel never considers the thread on its stack. */
    public boolean isOn(long sp) {
        if ((flags & SS_AUTODISARM) != 0) return false;
        return contains(sp);
    }

    /** sas_ss_flags(sp): SS_DISABLE without a stack, else SS_ONSTACK or 0. */
    public int state(long sp) {
        if (size == 0) return SS_DISABLE;
        return isOn(sp) ? SS_ONSTACK : 0;
    }

    /**
     * do_sigaltstack's change: {@code current} is the thread's stack, {@code sp} its stack
     * pointer. EPERM while on the current stack, EINVAL for an unknown mode, ENOMEM below
     * MINSIGSTKSZ; SS_DISABLE forgets address and size. The flags are kept as given.
     */
    public static AltStack change(AltStack current, long sp, AltStack wanted) {
        if (current.isOn(sp)) throw new LinuxException(Errno.EPERM);
        int mode = wanted.flags() & ~SS_FLAG_BITS;
        if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0) throw new LinuxException(Errno.EINVAL);
        if (current.equals(wanted)) return current;
        if (mode == SS_DISABLE) return new AltStack(0, 0, wanted.flags());
        if (Long.compareUnsigned(wanted.size(), MIN_SIZE) < 0) throw new LinuxException(Errno.ENOMEM);
        return wanted;
    }

    /** The stack_t sigaltstack reports for a thread at {@code sp}: the mode now, plus SS_AUTODISARM if set. */
    public int reportedFlags(long sp) {
        return state(sp) | (flags & SS_FLAG_BITS);
    }

    // Written out, not the record's own: see docs/design.md, "Start-up".
    @Override
    public boolean equals(Object o) {
        return o instanceof AltStack a && a.sp == sp && a.size == size && a.flags == flags;
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(sp) * 31 + Long.hashCode(size)) * 31 + flags;
    }
}
