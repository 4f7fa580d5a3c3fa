package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.SeekWhence;
import dev.jux.syscall.strace.ArrayFormats.IovData;

/**
 * Reading and writing: read/write and their p- and v- variants, lseek, getdents. A read-like
 * call's buffer is printed after the call, with as many bytes as it returned; a write-like
 * call's with the length it was given.
 */
final class IoDecoders {
    private IoDecoders() {}

    static void register(Decoder[] t) {
        t[READ] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(readBuffer(c, 1)).unsigned(c.arg(2)));
        t[WRITE] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).buffer(c.arg(1), c.arg(2)).unsigned(c.arg(2)));
        t[PREAD64] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(readBuffer(c, 1))
                .unsigned(c.arg(2)).decimal(c.arg(3)));
        t[PWRITE64] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).buffer(c.arg(1), c.arg(2))
                .unsigned(c.arg(2)).decimal(c.arg(3)));
        t[READV] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(readIovecs(c)).unsigned(c.arg(2)));
        t[WRITEV] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(writeIovecs(c)).unsigned(c.arg(2)));
        // x86-64 passes the whole offset in pos_l; strace shows it as one argument.
        t[PREADV] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(readIovecs(c))
                .unsigned(c.arg(2)).decimal(c.arg(3)));
        t[PWRITEV] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(writeIovecs(c))
                .unsigned(c.arg(2)).decimal(c.arg(3)));
        t[LSEEK] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).decimal(c.arg(1))
                .add(SeekWhence.render(c.intArg(2))));
        t[GETDENTS64] = Decoder.of(IoDecoders::getdents);
        t[GETDENTS] = Decoder.of(IoDecoders::getdents);
    }

    /** The buffer of a read-like call: the bytes it returned, or the pointer if it failed. */
    static String readBuffer(Call c, int i) {
        return c.failed() ? Printer.pointer(c.arg(i)) : Printer.buffer(c.mem(), c.arg(i), c.result());
    }

    private static String readIovecs(Call c) {
        return c.failed()
                ? ArrayFormats.iovecs(c.mem(), c.arg(1), c.arg(2), IovData.POINTERS, 0)
                : ArrayFormats.iovecs(c.mem(), c.arg(1), c.arg(2), IovData.RETURNED, c.result());
    }

    private static String writeIovecs(Call c) {
        return ArrayFormats.iovecs(c.mem(), c.arg(1), c.arg(2), IovData.ALL, 0);
    }

    private static void getdents(Call c, Printer p) {
        p.decimal(c.intArg(0));
        p.add(c.failed() ? Printer.pointer(c.arg(1)) : ArrayFormats.direntCount(c.mem(), c.arg(1), c.result()));
        p.unsigned(c.intArg(2) & 0xffffffffL);
    }
}
