package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.AccessMode;
import dev.jux.abi.AtFlags;
import dev.jux.abi.FileMode;
import dev.jux.abi.OpenFlags;

/** Calls that take a path: open, stat, access, readlink, mkdir, unlink and friends. */
final class PathDecoders {
    private PathDecoders() {}

    static void register(Decoder[] t) {
        t[OPEN] = Decoder.of((c, p) -> open(c, p.path(c.arg(0)), 1));
        t[OPENAT] = Decoder.of((c, p) -> open(c, p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1)), 2));
        t[CREAT] = Decoder.of((c, p) -> p.path(c.arg(0)).add(FileMode.octal(c.intArg(1))));
        t[STAT] = Decoder.of((c, p) -> p.path(c.arg(0)).add(statBuffer(c, 1)));
        t[LSTAT] = t[STAT];
        t[FSTAT] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(statBuffer(c, 1)));
        t[NEWFSTATAT] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(statBuffer(c, 2)).add(AtFlags.render(c.intArg(3))));
        t[ACCESS] = Decoder.of((c, p) -> p.path(c.arg(0)).add(AccessMode.render(c.intArg(1))));
        t[FACCESSAT] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(AccessMode.render(c.intArg(2))));
        t[FACCESSAT2] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(AccessMode.render(c.intArg(2))).add(AtFlags.renderAccess(c.intArg(3))));
        t[READLINK] = Decoder.of((c, p) -> p.path(c.arg(0)).add(IoDecoders.readBuffer(c, 1))
                .unsigned(c.arg(2)));
        t[READLINKAT] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(IoDecoders.readBuffer(c, 2)).unsigned(c.arg(3)));
        // getcwd fills the buffer with a path; strace shows it like one.
        t[GETCWD] = Decoder.of((c, p) -> p.add(c.failed() ? Printer.pointer(c.arg(0)) : Printer.path(c.mem(), c.arg(0)))
                .unsigned(c.arg(1)));
        t[CHDIR] = Decoder.of((c, p) -> p.path(c.arg(0)));
        t[RMDIR] = t[CHDIR];
        t[UNLINK] = t[CHDIR];
        t[TRUNCATE] = Decoder.of((c, p) -> p.path(c.arg(0)).unsigned(c.arg(1)));
        t[MKDIR] = Decoder.of((c, p) -> p.path(c.arg(0)).add(FileMode.octal(c.intArg(1))));
        t[CHMOD] = t[MKDIR];
        t[MKDIRAT] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(FileMode.octal(c.intArg(2))));
        t[UNLINKAT] = Decoder.of((c, p) -> p.add(AtFlags.renderDirfd(c.intArg(0))).path(c.arg(1))
                .add(AtFlags.render(c.intArg(2))));
        t[RENAME] = Decoder.of((c, p) -> p.path(c.arg(0)).path(c.arg(1)));
        t[LINK] = t[RENAME];
        t[SYMLINK] = t[RENAME];
        t[UMASK] = Decoder.of((c, p) -> p.add(FileMode.octal(c.intArg(0))), Results::octal);
    }

    /** open/openat: flags, then the mode only when O_CREAT or O_TMPFILE makes the kernel read it. */
    private static void open(Call c, Printer p, int flagsArg) {
        int flags = c.intArg(flagsArg);
        p.add(OpenFlags.render(flags));
        if (OpenFlags.takesMode(flags)) p.add(FileMode.octal(c.intArg(flagsArg + 1)));
    }

    private static String statBuffer(Call c, int i) {
        return c.failed() ? Printer.pointer(c.arg(i)) : StructFormats.stat(c.mem(), c.arg(i));
    }
}
