package dev.jux.syscall.strace;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.Hex;

/** The text after " = ": how strace prints a system call's return value. */
final class Results {
    private Results() {}

    /**
     * A failed call: {@code -1 ENOENT (No such file or directory)}; the restart codes that a
     * signal interrupted print as {@code ? ERESTARTSYS (To be restarted if SA_RESTART is set)};
     * a number Linux never named as {@code -1 (errno 41)}.
     */
    static String error(int errno) {
        Errno e = Errno.of(errno);
        if (e == null) return "-1 (errno " + errno + ")";
        return (e.isRestart() ? "? " : "-1 ") + e.name() + " (" + e.message() + ")";
    }

    /** The usual case: signed decimal, or the error. */
    static String decimal(Call c) {
        return c.failed() ? error(c.errno()) : Long.toString(c.result());
    }

    /** Calls that return an address (mmap, brk, mremap): hex. */
    static String hex(Call c) {
        return c.failed() ? error(c.errno()) : Hex.of(c.result());
    }

    /** umask returns a mode: octal. */
    static String octal(Call c) {
        return c.failed() ? error(c.errno()) : FileMode.octal((int) c.result());
    }

    /** exit and exit_group never return: strace prints "?". */
    static String none(Call c) {
        return "?";
    }
}
