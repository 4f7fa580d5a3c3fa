package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.ClockId;
import dev.jux.abi.Errno;

/** Clocks and sleeps. */
final class TimeDecoders {
    private TimeDecoders() {}

    static void register(Decoder[] t) {
        t[CLOCK_GETTIME] = Decoder.of((c, p) -> p.add(ClockId.render(c.intArg(0))).add(timeOut(c, 1)));
        t[CLOCK_GETRES] = t[CLOCK_GETTIME];
        t[GETTIMEOFDAY] = Decoder.of((c, p) -> p.add(c.failed() ? Printer.pointer(c.arg(0))
                : StructFormats.timeval(c.mem(), c.arg(0)))
                .add(c.failed() ? Printer.pointer(c.arg(1)) : StructFormats.timezone(c.mem(), c.arg(1))));
        t[NANOSLEEP] = Decoder.of((c, p) -> p.add(StructFormats.timespec(c.mem(), c.arg(0)))
                .add(remaining(c, 1, true)));
        t[CLOCK_NANOSLEEP] = Decoder.of((c, p) -> p.add(ClockId.render(c.intArg(0)))
                .add(ClockId.renderTimerFlags(c.intArg(1)))
                .add(StructFormats.timespec(c.mem(), c.arg(2))).add(remaining(c, 3, c.intArg(1) == 0)));
    }

    private static String timeOut(Call c, int i) {
        return c.failed() ? Printer.pointer(c.arg(i)) : StructFormats.timespec(c.mem(), c.arg(i));
    }

    /**
     * The time left, which the kernel writes when a signal interrupts a relative sleep (the
     * call then returns a restart code); strace prints it only then, and the bare pointer
     * otherwise, EINTR included, since the memory may hold anything.
     */
    private static String remaining(Call c, int i, boolean relative) {
        Errno e = Errno.of(c.errno());
        boolean interrupted = relative && e != null && e.isRestart();
        return interrupted ? StructFormats.timespec(c.mem(), c.arg(i)) : Printer.pointer(c.arg(i));
    }
}
