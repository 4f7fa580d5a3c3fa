package dev.jux.testing;

import java.util.List;

/** Linux x86-64 signal names and numbers, for directives and readable failure messages. */
public final class Signals {
    private static final List<String> NAMES = List.of("", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL",
            "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
            "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
            "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
            "SIGIO", "SIGPWR", "SIGSYS");

    private Signals() {}

    public static int number(String name) {
        int n = NAMES.indexOf(name);
        if (n <= 0) throw new IllegalArgumentException("unknown signal " + name);
        return n;
    }

    /** "exit 3", or "128+11 (SIGSEGV)" for a status that means death by a signal. */
    public static String describeStatus(int status) {
        if (status > 128 && status - 128 < NAMES.size()) {
            return status + " = 128+" + (status - 128) + " (" + NAMES.get(status - 128) + ")";
        }
        return "exit " + status;
    }
}
