package dev.jux.syscall.strace;

import static dev.jux.abi.Fcntl.*;

import dev.jux.abi.Fcntl;
import dev.jux.abi.Hex;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Signal;

/**
 * fcntl(2): the third argument is decoded per command, and some results are explained after
 * the number as strace does ({@code = 0x8001 (flags O_WRONLY|O_LARGEFILE)}).
 */
final class FcntlDecoder {
    private FcntlDecoder() {}

    static final Decoder DECODER = Decoder.of(FcntlDecoder::args, FcntlDecoder::result);

    private static void args(Call c, Printer p) {
        int cmd = c.intArg(1);
        p.decimal(c.intArg(0)).add(Fcntl.renderCommand(cmd));
        int arg = c.intArg(2);
        switch (cmd) {
            case F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETLEASE, F_GETPIPE_SZ, F_GET_SEALS -> {}
            case F_SETFD -> p.add(Fcntl.renderFdFlags(Integer.toUnsignedLong(arg)));
            case F_SETFL -> p.add(OpenFlags.render(arg));
            case F_DUPFD, F_DUPFD_CLOEXEC, F_SETOWN, F_SETPIPE_SZ -> p.decimal(arg);
            case F_SETSIG -> p.add(arg == 0 ? "0" : signal(arg));
            case F_SETLEASE -> p.add(Fcntl.renderLockType(arg));
            case F_NOTIFY -> p.add(Fcntl.renderNotify(arg));
            case F_ADD_SEALS -> p.add(Fcntl.renderSeals(arg));
            // The lock is read on entry for the setters; the getters show what the kernel wrote.
            case F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW ->
                    p.add(StructFormats.flock(c.mem(), c.arg(2), false));
            case F_GETLK, F_OFD_GETLK ->
                    p.add(c.failed() ? Printer.pointer(c.arg(2)) : StructFormats.flock(c.mem(), c.arg(2), true));
            default -> p.add(Fcntl.isKnownCommand(cmd) ? Printer.pointer(c.arg(2)) : Hex.of(c.arg(2)));
        }
    }

    private static String result(Call c) {
        if (c.failed()) return Results.error(c.errno());
        long r = c.result();
        return switch (c.intArg(1)) {
            case F_GETFD -> r == 0 ? "0" : Hex.of(r) + " (flags " + Fcntl.renderFdFlags(r) + ")";
            case F_GETFL -> Hex.of(r) + " (flags " + OpenFlags.render((int) r) + ")";
            case F_GETSIG -> r == 0 ? "0" : r + " (" + signal((int) r) + ")";
            case F_GETLEASE -> Hex.of(r) + " (" + Fcntl.renderLockType((int) r) + ")";
            case F_GET_SEALS -> r == 0 ? "0" : Hex.of(r) + " (seals " + Fcntl.renderSeals((int) r) + ")";
            default -> Long.toString(r);
        };
    }

    private static String signal(int n) {
        Signal s = Signal.of(n);
        return s != null ? s.name() : Integer.toString(n);
    }
}
