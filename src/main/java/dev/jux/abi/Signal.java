package dev.jux.abi;

/**
 * The 64 Linux signals on x86-64. Constants 1..31 carry the x86-64 names; 32..64 are the
 * real-time signals, named as strace prints them: {@code SIGRTMIN} for 32 and
 * {@code SIGRT_n} for 32+n. (glibc reserves 32 and 33 for itself and its SIGRTMIN is 34, but
 * the kernel and strace count from 32.) Aliases (SIGIOT, SIGPOLL, SIGUNUSED) are not separate
 * constants: they are SIGABRT, SIGIO and SIGSYS.
 */
public enum Signal {
    SIGHUP(1, DefaultAction.TERMINATE),
    SIGINT(2, DefaultAction.TERMINATE),
    SIGQUIT(3, DefaultAction.CORE),
    SIGILL(4, DefaultAction.CORE),
    SIGTRAP(5, DefaultAction.CORE),
    SIGABRT(6, DefaultAction.CORE),
    SIGBUS(7, DefaultAction.CORE),
    SIGFPE(8, DefaultAction.CORE),
    SIGKILL(9, DefaultAction.TERMINATE),
    SIGUSR1(10, DefaultAction.TERMINATE),
    SIGSEGV(11, DefaultAction.CORE),
    SIGUSR2(12, DefaultAction.TERMINATE),
    SIGPIPE(13, DefaultAction.TERMINATE),
    SIGALRM(14, DefaultAction.TERMINATE),
    SIGTERM(15, DefaultAction.TERMINATE),
    SIGSTKFLT(16, DefaultAction.TERMINATE),
    SIGCHLD(17, DefaultAction.IGNORE),
    SIGCONT(18, DefaultAction.CONTINUE),
    SIGSTOP(19, DefaultAction.STOP),
    SIGTSTP(20, DefaultAction.STOP),
    SIGTTIN(21, DefaultAction.STOP),
    SIGTTOU(22, DefaultAction.STOP),
    SIGURG(23, DefaultAction.IGNORE),
    SIGXCPU(24, DefaultAction.CORE),
    SIGXFSZ(25, DefaultAction.CORE),
    SIGVTALRM(26, DefaultAction.TERMINATE),
    SIGPROF(27, DefaultAction.TERMINATE),
    SIGWINCH(28, DefaultAction.IGNORE),
    SIGIO(29, DefaultAction.TERMINATE),
    SIGPWR(30, DefaultAction.TERMINATE),
    SIGSYS(31, DefaultAction.CORE),
    // Real-time signals: man 7 signal says their default action is to terminate.
    SIGRTMIN(32, DefaultAction.TERMINATE),
    SIGRT_1(33, DefaultAction.TERMINATE),
    SIGRT_2(34, DefaultAction.TERMINATE),
    SIGRT_3(35, DefaultAction.TERMINATE),
    SIGRT_4(36, DefaultAction.TERMINATE),
    SIGRT_5(37, DefaultAction.TERMINATE),
    SIGRT_6(38, DefaultAction.TERMINATE),
    SIGRT_7(39, DefaultAction.TERMINATE),
    SIGRT_8(40, DefaultAction.TERMINATE),
    SIGRT_9(41, DefaultAction.TERMINATE),
    SIGRT_10(42, DefaultAction.TERMINATE),
    SIGRT_11(43, DefaultAction.TERMINATE),
    SIGRT_12(44, DefaultAction.TERMINATE),
    SIGRT_13(45, DefaultAction.TERMINATE),
    SIGRT_14(46, DefaultAction.TERMINATE),
    SIGRT_15(47, DefaultAction.TERMINATE),
    SIGRT_16(48, DefaultAction.TERMINATE),
    SIGRT_17(49, DefaultAction.TERMINATE),
    SIGRT_18(50, DefaultAction.TERMINATE),
    SIGRT_19(51, DefaultAction.TERMINATE),
    SIGRT_20(52, DefaultAction.TERMINATE),
    SIGRT_21(53, DefaultAction.TERMINATE),
    SIGRT_22(54, DefaultAction.TERMINATE),
    SIGRT_23(55, DefaultAction.TERMINATE),
    SIGRT_24(56, DefaultAction.TERMINATE),
    SIGRT_25(57, DefaultAction.TERMINATE),
    SIGRT_26(58, DefaultAction.TERMINATE),
    SIGRT_27(59, DefaultAction.TERMINATE),
    SIGRT_28(60, DefaultAction.TERMINATE),
    SIGRT_29(61, DefaultAction.TERMINATE),
    SIGRT_30(62, DefaultAction.TERMINATE),
    SIGRT_31(63, DefaultAction.TERMINATE),
    SIGRT_32(64, DefaultAction.TERMINATE);

    /** What the kernel does with a signal whose disposition is SIG_DFL (man 7 signal). */
    public enum DefaultAction {
        /** Terminate the process. */
        TERMINATE,
        /** Terminate the process and dump core. */
        CORE,
        /** Stop the process. */
        STOP,
        /** Continue the process if it is stopped. */
        CONTINUE,
        /** Ignore the signal. */
        IGNORE
    }

    /** The highest signal number (the kernel's _NSIG). */
    public static final int NSIG = 64;

    private static final Signal[] VALUES = values();

    private final int number;
    private final DefaultAction defaultAction;

    Signal(int number, DefaultAction defaultAction) {
        this.number = number;
        this.defaultAction = defaultAction;
    }

    public int number() {
        return number;
    }

    public DefaultAction defaultAction() {
        return defaultAction;
    }

    /** This signal's bit in a sigset_t: bit {@code number - 1}. */
    public long mask() {
        return 1L << (number - 1);
    }

    /** The name without "SIG", as strace lists signals in a set: "HUP", "RTMIN", "RT_1". */
    public String shortName() {
        return name().substring(3);
    }

    /** True for the real-time signals (32..64), which queue instead of merging. */
    public boolean isRealtime() {
        return number >= SIGRTMIN.number;
    }

    /** The signal with this number, or null for 0 and numbers outside 1..64. */
    public static Signal of(int number) {
        return number >= 1 && number <= NSIG ? VALUES[number - 1] : null;
    }
}
