package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.Hex;

/** The uid/gid calls: ids as strace's printuid shows them (unsigned, but (uid_t) -1 as -1). */
final class CredentialDecoders {
    private CredentialDecoders() {}

    static void register(Decoder[] t) {
        for (int nr : new int[] {SETUID, SETGID, SETFSUID, SETFSGID}) t[nr] = Decoder.of((c, p) -> p.add(id(c.arg(0))));
        for (int nr : new int[] {SETREUID, SETREGID}) t[nr] = Decoder.of((c, p) -> p.add(id(c.arg(0))).add(id(c.arg(1))));
        for (int nr : new int[] {SETRESUID, SETRESGID}) {
            t[nr] = Decoder.of((c, p) -> p.add(id(c.arg(0))).add(id(c.arg(1))).add(id(c.arg(2))));
        }
        t[SETGROUPS] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(ArrayFormats.groups(c.mem(), c.arg(1), c.intArg(0))));
        // The list getgroups filled is as long as its result; a failure (-1) is too long, so an address.
        t[GETGROUPS] = Decoder.of((c, p) -> p.decimal(c.intArg(0)).add(ArrayFormats.groups(c.mem(), c.arg(1), c.result())));
        for (int nr : new int[] {GETRESUID, GETRESGID}) {
            t[nr] = Decoder.of((c, p) -> {
                for (int k = 0; k < 3; k++) p.add(c.failed() ? Printer.pointer(c.arg(k)) : idRef(c.mem(), c.arg(k)));
            });
        }
    }

    /** printuid: the low 32 bits, -1 for (uid_t) -1. */
    static String id(long arg) {
        int v = (int) arg;
        return v == -1 ? "-1" : Integer.toUnsignedString(v);
    }

    private static String idRef(GuestMemory mem, long addr) {
        if (addr == 0) return "NULL";
        Integer v = mem.readInt(addr);
        return v == null ? Hex.of(addr) : "[" + id(v) + "]";
    }
}
