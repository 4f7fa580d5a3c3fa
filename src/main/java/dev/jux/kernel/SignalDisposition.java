package dev.jux.kernel;

import dev.jux.abi.SignalAction;

/**
 * A signal's disposition as rt_sigaction(2) sets it: struct kernel_sigaction on x86-64 is
 * {handler, flags, restorer, mask}. The flag and handler constants are in abi/SignalAction.
 */
public record SignalDisposition(long handler, long flags, long restorer, long mask) {
    public static final SignalDisposition DEFAULT = new SignalDisposition(SignalAction.SIG_DFL, 0, 0, 0);

    public boolean isDefault() {
        return handler == SignalAction.SIG_DFL;
    }

    public boolean isIgnore() {
        return handler == SignalAction.SIG_IGN;
    }
}
