package dev.jux.kernel;

/** The status word wait4(2) reports, and how a shell turns it into an exit code. */
public final class WaitStatus {
    private WaitStatus() {}

    public static int exited(int code) {
        return (code & 0xff) << 8;
    }

    public static int killed(int signal, boolean coreDumped) {
        return signal | (coreDumped ? 0x80 : 0);
    }

    public static boolean isSignaled(int status) {
        return (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }

    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** The value $? has in a shell: the exit code, or 128 + the signal that killed it. */
    public static int shellStatus(int status) {
        return isSignaled(status) ? 128 + termSignal(status) : exitCode(status);
    }
}
