package dev.jux.syscall.strace;

import dev.jux.abi.Hex;
import dev.jux.abi.SyscallNumbers;
import dev.jux.mm.UserMemory;

/**
 * Formats one finished system call the way strace prints it, without the pid prefix:
 * {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3}.
 *
 * <p>Call it after the system call has returned: output arguments (read's buffer, stat's
 * struct, pipe's fds) are read from memory then, as strace does when the call exits, with
 * the length the call returned. Input arguments are read then too, which gives the same text
 * unless the call changed them; the exception is a successful execve, whose old memory is
 * gone: format it before the new image replaces the address space (the result is 0).
 *
 * <p>Arguments are the six raw registers (rdi, rsi, rdx, r10, r8, r9); {@code result} is the
 * raw kernel return, {@code -errno} for a failure. An address that cannot be read (the memory
 * throws EFAULT, or is null) is printed in hex, never thrown. Calls without a decoder print
 * their raw arguments in hex, as strace prints calls it does not decode; unknown numbers print
 * as {@code syscall_0x1c8(...)} with all six registers. Decoded: the file, memory, process,
 * signal and time calls listed in the Decoders classes of this package.
 */
public final class StraceFormatter {
    private StraceFormatter() {}

    /** strace writes " = " so that '=' lands in this column when the call is short. */
    private static final int RESULT_COLUMN = 40;

    private static final Decoder[] DECODERS = new Decoder[SyscallNumbers.MAX + 1];

    static {
        IoDecoders.register(DECODERS);
        PathDecoders.register(DECODERS);
        FdDecoders.register(DECODERS);
        MemoryDecoders.register(DECODERS);
        ProcessDecoders.register(DECODERS);
        CredentialDecoders.register(DECODERS);
        SignalDecoders.register(DECODERS);
        TimeDecoders.register(DECODERS);
    }

    /** {@code write(1, "hello\n", 6) = 6}. */
    public static String format(int nr, long[] args, long result, UserMemory mem) {
        Call c = call(nr, args, result, mem);
        return callText(c) + " = " + resultText(c);
    }

    /** The same line with strace's padding: '=' in column 40 unless the call is longer. */
    public static String formatAligned(int nr, long[] args, long result, UserMemory mem) {
        Call c = call(nr, args, result, mem);
        return align(callText(c), resultText(c));
    }

    /** Just the call: {@code write(1, "hello\n", 6)}. */
    public static String formatCall(int nr, long[] args, long result, UserMemory mem) {
        return callText(call(nr, args, result, mem));
    }

    /** Just the result: {@code 6}, {@code -1 EBADF (Bad file descriptor)}, {@code ?}. */
    public static String formatResult(int nr, long[] args, long result) {
        return resultText(call(nr, args, result, null));
    }

    /** Joins a call and its result as strace does: {@code call + padding + " = " + result}. */
    public static String align(String call, String result) {
        int pad = RESULT_COLUMN - 1 - call.length();
        return call + (pad > 0 ? " ".repeat(pad) : "") + " = " + result;
    }

    /** The name strace uses: "read", or {@code syscall_0x1c8} for a number with no name. */
    public static String name(int nr) {
        String name = SyscallNumbers.name(nr);
        return name != null ? name : "syscall_" + Hex.of(Integer.toUnsignedLong(nr));
    }

    /** True if {@code nr} has a decoder; other calls print their raw arguments. */
    public static boolean isDecoded(int nr) {
        return decoder(nr) != null;
    }

    private static Call call(int nr, long[] args, long result, UserMemory mem) {
        if (args.length != 6) throw new IllegalArgumentException("want 6 argument registers, got " + args.length);
        return new Call(nr, args, result, new GuestMemory(mem));
    }

    private static Decoder decoder(int nr) {
        return nr >= 0 && nr < DECODERS.length ? DECODERS[nr] : null;
    }

    private static String callText(Call c) {
        Printer p = new Printer(c.mem());
        Decoder d = decoder(c.nr());
        if (d != null) {
            d.args().accept(c, p);
        } else {
            int n = SyscallNumbers.argCount(c.nr());
            for (int i = 0; i < (n < 0 ? 6 : n); i++) p.hex(c.arg(i));
        }
        return name(c.nr()) + "(" + p + ")";
    }

    private static String resultText(Call c) {
        Decoder d = decoder(c.nr());
        return d != null ? d.result().apply(c) : Results.decimal(c);
    }
}
