package dev.jux.abi;

/** A sigset_t as a 64-bit mask (bit n-1 is signal n), rendered as strace prints it. */
public final class SigSet {
    private SigSet() {}

    /** The size of the kernel's sigset_t on x86-64, which rt_sig* calls take as sigsetsize. */
    public static final int SIZE = 8;

    /**
     * {@code [HUP INT RTMIN]}, {@code []}, or, when at least two thirds of the
     * {@code bytes * 8} bits are set, the complement: {@code ~[KILL STOP]} (strace 6.1
     * switches at 42 of 64 set signals).
     */
    public static String render(long mask, int bytes) {
        int bits = bytes * 8;
        long valid = bits >= 64 ? -1L : (1L << bits) - 1;
        mask &= valid;
        boolean complement = Long.bitCount(mask) >= bits * 2 / 3;
        if (complement) mask = ~mask & valid;
        StringBuilder sb = new StringBuilder(complement ? "~[" : "[");
        for (int n = 1; n <= bits; n++) {
            if ((mask & (1L << (n - 1))) == 0) continue;
            if (sb.charAt(sb.length() - 1) != '[') sb.append(' ');
            sb.append(Signal.of(n).shortName());
        }
        return sb.append(']').toString();
    }

    /** A full 8-byte set. */
    public static String render(long mask) {
        return render(mask, SIZE);
    }
}
