package dev.jux.abi;

/**
 * The x86-64 Linux signals 1..31 and the real-time range 32..64, with the default action
 * man 7 signal gives each.
 */
public enum Signal {
    SIGHUP(1, Action.TERMINATE), SIGINT(2, Action.TERMINATE), SIGQUIT(3, Action.CORE), SIGILL(4, Action.CORE),
    SIGTRAP(5, Action.CORE), SIGABRT(6, Action.CORE), SIGBUS(7, Action.CORE), SIGFPE(8, Action.CORE),
    SIGKILL(9, Action.TERMINATE), SIGUSR1(10, Action.TERMINATE), SIGSEGV(11, Action.CORE), SIGUSR2(12, Action.TERMINATE),
    SIGPIPE(13, Action.TERMINATE), SIGALRM(14, Action.TERMINATE), SIGTERM(15, Action.TERMINATE),
    SIGSTKFLT(16, Action.TERMINATE), SIGCHLD(17, Action.IGNORE), SIGCONT(18, Action.CONTINUE), SIGSTOP(19, Action.STOP),
    SIGTSTP(20, Action.STOP), SIGTTIN(21, Action.STOP), SIGTTOU(22, Action.STOP), SIGURG(23, Action.IGNORE),
    SIGXCPU(24, Action.CORE), SIGXFSZ(25, Action.CORE), SIGVTALRM(26, Action.TERMINATE), SIGPROF(27, Action.TERMINATE),
    SIGWINCH(28, Action.IGNORE), SIGIO(29, Action.TERMINATE), SIGPWR(30, Action.TERMINATE), SIGSYS(31, Action.CORE);

    /** What happens to a process when a signal arrives with the SIG_DFL disposition. */
    public enum Action { TERMINATE, CORE, STOP, CONTINUE, IGNORE }

    public static final int SIGRTMIN = 32, SIGRTMAX = 64;

    private final int number;
    private final Action defaultAction;

    Signal(int number, Action defaultAction) {
        this.number = number;
        this.defaultAction = defaultAction;
    }

    public int number() {
        return number;
    }

    public Action defaultAction() {
        return defaultAction;
    }

    /** The named signal for 1..31, or null (real-time signals have no constant). */
    public static Signal of(int number) {
        return number >= 1 && number <= 31 ? values()[number - 1] : null;
    }

    /** The default action of any signal 1..64; real-time signals terminate. */
    public static Action defaultAction(int number) {
        Signal s = of(number);
        return s != null ? s.defaultAction : Action.TERMINATE;
    }

    /** The name strace prints: SIGSEGV, or SIGRTMIN / SIGRT_n for the real-time range. */
    public static String name(int number) {
        Signal s = of(number);
        if (s != null) return s.name();
        if (number == SIGRTMIN) return "SIGRTMIN";
        if (number > SIGRTMIN && number <= SIGRTMAX) return "SIGRT_" + (number - SIGRTMIN);
        return String.valueOf(number);
    }
}
