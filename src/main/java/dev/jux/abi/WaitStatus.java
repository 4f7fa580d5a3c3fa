package dev.jux.abi;

/**
 * wait4(2) options and the status word it stores ({@code <linux/wait.h>}, glibc's
 * {@code <bits/waitstatus.h>}): exit code in bits 8..15, terminating signal in 0..6 with 0x80
 * for a core dump, 0x7f in the low byte for a stop, 0xffff for a continue.
 */
public final class WaitStatus {
    private WaitStatus() {}

    public static final int WNOHANG = 0x00000001;
    public static final int WUNTRACED = 0x00000002;
    public static final int WSTOPPED = WUNTRACED;
    public static final int WEXITED = 0x00000004;
    public static final int WCONTINUED = 0x00000008;
    public static final int WNOWAIT = 0x01000000;
    public static final int __WNOTHREAD = 0x20000000;
    public static final int __WALL = 0x40000000;
    public static final int __WCLONE = 0x80000000;

    /** The status of a child resumed by SIGCONT (WIFCONTINUED). */
    public static final int CONTINUED = 0xffff;

    /** strace 6.1's order (measured with every bit set). */
    private static final FlagTable OPTIONS = FlagTable.builder("W???")
            .add("WNOHANG", WNOHANG).add("WEXITED", WEXITED).add("WSTOPPED", WSTOPPED)
            .add("WCONTINUED", WCONTINUED).add("WNOWAIT", WNOWAIT)
            .add("__WCLONE", Integer.toUnsignedLong(__WCLONE)).add("__WALL", __WALL)
            .add("__WNOTHREAD", __WNOTHREAD)
            .build();

    public static int exited(int code) {
        return (code & 0xff) << 8;
    }

    public static int signaled(Signal signal, boolean coreDumped) {
        return signal.number() | (coreDumped ? 0x80 : 0);
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

    public static int stopped(Signal signal) {
        return signal.number() << 8 | 0x7f;
    }

    /** wait4's options: {@code WNOHANG|__WALL}, "0" for none. */
    public static String renderOptions(int options) {
        return OPTIONS.render(Integer.toUnsignedLong(options));
    }

    /**
     * The status as strace shows it inside {@code [...]}:
     * {@code {WIFEXITED(s) && WEXITSTATUS(s) == 0}}.
     */
    public static String render(int status) {
        int low = status & 0x7f;
        if ((status & 0xffff) == CONTINUED) return "{WIFCONTINUED(s)}";
        if ((status & 0xff) == 0x7f) {
            return "{WIFSTOPPED(s) && WSTOPSIG(s) == " + signalName((status >> 8) & 0xff) + "}";
        }
        if (low == 0) return "{WIFEXITED(s) && WEXITSTATUS(s) == " + ((status >> 8) & 0xff) + "}";
        return "{WIFSIGNALED(s) && WTERMSIG(s) == " + signalName(low)
                + ((status & 0x80) != 0 ? " && WCOREDUMP(s)}" : "}");
    }

    private static String signalName(int n) {
        Signal s = Signal.of(n);
        return s != null ? s.name() : Integer.toString(n);
    }
}
