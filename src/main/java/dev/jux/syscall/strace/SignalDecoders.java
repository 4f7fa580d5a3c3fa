package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.FlagTable;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;
import dev.jux.abi.SignalAction;

/** Signal calls: kill and friends, rt_sigaction, rt_sigprocmask; pidfd_open and pidfd_getfd. */
final class SignalDecoders {
    private SignalDecoders() {}

    /** pidfd_open's flags, as the strace of Debian 12 knows them (not yet PIDFD_THREAD). */
    private static final FlagTable PIDFD_OPEN_FLAGS = FlagTable.builder("PIDFD_???")
            .add("PIDFD_NONBLOCK", OpenFlags.O_NONBLOCK)
            .build();

    static void register(Decoder[] t) {
        t[KILL] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(signal(c.intArg(1))));
        t[TKILL] = t[KILL];
        t[PIDFD_OPEN] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(PIDFD_OPEN_FLAGS.render(Integer.toUnsignedLong(c.intArg(1)))));
        t[PIDFD_GETFD] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.intArg(1)).hex(Integer.toUnsignedLong(c.intArg(2))));
        t[TGKILL] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.intArg(1))
                .add(signal(c.intArg(2))));
        t[RT_SIGACTION] = Decoder.of((c, p) -> p.add(signal(c.intArg(0)))
                .add(StructFormats.sigaction(c.mem(), c.arg(1)))
                .add(c.failed() ? Printer.pointer(c.arg(2)) : StructFormats.sigaction(c.mem(), c.arg(2)))
                .unsigned(c.arg(3)));
        t[RT_SIGPROCMASK] = Decoder.of((c, p) -> p.add(SignalAction.renderHow(c.intArg(0)))
                .add(StructFormats.sigset(c.mem(), c.arg(1), c.arg(3)))
                .add(c.failed() ? Printer.pointer(c.arg(2)) : StructFormats.sigset(c.mem(), c.arg(2), c.arg(3)))
                .unsigned(c.arg(3)));
    }

    /** A signal number: its name, "0" (the existence check), or decimal if out of range. */
    static String signal(int n) {
        Signal s = Signal.of(n);
        return s != null ? s.name() : Integer.toString(n);
    }
}
