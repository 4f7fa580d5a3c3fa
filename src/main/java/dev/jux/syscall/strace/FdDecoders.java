package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.Inotify;
import dev.jux.abi.OpenFlags;

/** Calls on file descriptors themselves: close, dup*, pipe*, fsync, ftruncate, inotify's. */
final class FdDecoders {
    private FdDecoders() {}

    static void register(Decoder[] t) {
        Decoder fdOnly = Decoder.of((c, p) -> p.decimal(c.intArg(0)));
        t[CLOSE] = fdOnly;
        t[DUP] = fdOnly;
        t[FCHDIR] = fdOnly;
        t[FSYNC] = fdOnly;
        t[FDATASYNC] = fdOnly;
        t[DUP2] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.intArg(1)));
        t[DUP3] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.intArg(1))
                .add(OpenFlags.renderWithoutAccessMode(c.intArg(2))));
        t[FTRUNCATE] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).unsigned(c.arg(1)));
        t[PIPE] = Decoder.of((c, p) -> p.add(fds(c)));
        t[PIPE2] = Decoder.of((c, p) -> p.add(fds(c)).add(OpenFlags.renderWithoutAccessMode(c.intArg(1))));
        t[INOTIFY_INIT1] = Decoder.of((c, p) -> p.add(Inotify.renderInitFlags(c.intArg(0))));
        t[INOTIFY_ADD_WATCH] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).path(c.arg(1)).add(Inotify.renderMask(c.intArg(2))));
        t[INOTIFY_RM_WATCH] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.intArg(1)));
        t[FCNTL] = FcntlDecoder.DECODER;
        t[IOCTL] = IoctlDecoder.DECODER;
    }

    /** The fd pair the kernel wrote, once it has. */
    private static String fds(Call c) {
        return c.failed() ? Printer.pointer(c.arg(0)) : ArrayFormats.fdPair(c.mem(), c.arg(0));
    }
}
