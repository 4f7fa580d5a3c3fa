package dev.jux.kernel;

/**
 * A signal's disposition as rt_sigaction(2) sets it: struct kernel_sigaction on x86-64 is
 * {handler, flags, restorer, mask}.
 */
public record SignalAction(long handler, long flags, long restorer, long mask) {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000,
            SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000L, SA_RESTORER = 0x04000000;

    public static final SignalAction DEFAULT = new SignalAction(SIG_DFL, 0, 0, 0);

    public boolean isDefault() {
        return handler == SIG_DFL;
    }

    public boolean isIgnore() {
        return handler == SIG_IGN;
    }
}
