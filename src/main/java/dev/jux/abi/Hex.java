package dev.jux.abi;

/** Hexadecimal the way strace and C's {@code %#lx} print it: "0" for zero, else "0x1f". */
public final class Hex {
    private Hex() {}

    public static String of(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }
}
