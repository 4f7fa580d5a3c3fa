package dev.jux.abi;

/**
 * clone(2) flags ({@code <linux/sched.h>}). The low byte (CSIGNAL) is the signal sent to the
 * parent when the child exits; strace prints it last, by name ({@code ...|SIGCHLD}).
 */
public final class CloneFlags {
    private CloneFlags() {}

    public static final long CSIGNAL = 0xff;
    public static final long CLONE_VM = 0x100;
    public static final long CLONE_FS = 0x200;
    public static final long CLONE_FILES = 0x400;
    public static final long CLONE_SIGHAND = 0x800;
    public static final long CLONE_PIDFD = 0x1000;
    public static final long CLONE_PTRACE = 0x2000;
    public static final long CLONE_VFORK = 0x4000;
    public static final long CLONE_PARENT = 0x8000;
    public static final long CLONE_THREAD = 0x10000;
    /** In CSIGNAL's byte: only unshare and clone3 can ask for it. */
    public static final long CLONE_NEWTIME = 0x80;
    public static final long CLONE_NEWNS = 0x20000;
    public static final long CLONE_SYSVSEM = 0x40000;
    public static final long CLONE_SETTLS = 0x80000;
    public static final long CLONE_PARENT_SETTID = 0x100000;
    public static final long CLONE_CHILD_CLEARTID = 0x200000;
    /** Ignored by Linux since 2.6.2; strace does not name it. */
    public static final long CLONE_DETACHED = 0x400000;
    public static final long CLONE_UNTRACED = 0x800000;
    public static final long CLONE_CHILD_SETTID = 0x1000000;
    public static final long CLONE_NEWCGROUP = 0x2000000;
    public static final long CLONE_NEWUTS = 0x4000000;
    public static final long CLONE_NEWIPC = 0x8000000;
    public static final long CLONE_NEWUSER = 0x10000000;
    public static final long CLONE_NEWPID = 0x20000000;
    public static final long CLONE_NEWNET = 0x40000000;
    public static final long CLONE_IO = 0x80000000L;
    /** clone3(2) only. */
    public static final long CLONE_CLEAR_SIGHAND = 0x100000000L;
    /** clone3(2) only. */
    public static final long CLONE_INTO_CGROUP = 0x200000000L;

    /** In numeric order, as strace 6.1 prints them for clone(2). */
    private static final FlagTable FLAGS = FlagTable.builder("CLONE_???")
            .add("CLONE_VM", CLONE_VM).add("CLONE_FS", CLONE_FS).add("CLONE_FILES", CLONE_FILES)
            .add("CLONE_SIGHAND", CLONE_SIGHAND).add("CLONE_PIDFD", CLONE_PIDFD)
            .add("CLONE_PTRACE", CLONE_PTRACE).add("CLONE_VFORK", CLONE_VFORK)
            .add("CLONE_PARENT", CLONE_PARENT).add("CLONE_THREAD", CLONE_THREAD)
            .add("CLONE_NEWNS", CLONE_NEWNS).add("CLONE_SYSVSEM", CLONE_SYSVSEM)
            .add("CLONE_SETTLS", CLONE_SETTLS).add("CLONE_PARENT_SETTID", CLONE_PARENT_SETTID)
            .add("CLONE_CHILD_CLEARTID", CLONE_CHILD_CLEARTID).add("CLONE_UNTRACED", CLONE_UNTRACED)
            .add("CLONE_CHILD_SETTID", CLONE_CHILD_SETTID).add("CLONE_NEWCGROUP", CLONE_NEWCGROUP)
            .add("CLONE_NEWUTS", CLONE_NEWUTS).add("CLONE_NEWIPC", CLONE_NEWIPC)
            .add("CLONE_NEWUSER", CLONE_NEWUSER).add("CLONE_NEWPID", CLONE_NEWPID)
            .add("CLONE_NEWNET", CLONE_NEWNET).add("CLONE_IO", CLONE_IO)
            .build();

    /**
     * clone(2)'s flags argument: {@code CLONE_VM|CLONE_FS|...|SIGCHLD}, "SIGCHLD" alone, or
     * "0"; an exit signal without a name prints in decimal ({@code |99}).
     */
    public static String render(long flags) {
        int sig = (int) (flags & CSIGNAL);
        long rest = flags & ~CSIGNAL;
        Signal signal = Signal.of(sig);
        String sigText = signal != null ? signal.name() : Integer.toString(sig);
        if (rest == 0) return sigText;
        String s = FLAGS.render(rest);
        return sig == 0 ? s : s + "|" + sigText;
    }
}
