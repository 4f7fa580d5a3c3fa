package dev.jux.platform.interp;

/**
 * The SSSE3 operations (0F 38 00-0B, 1C-1E; 0F 3A 0F) on vectors of 8 bytes (the MMX forms)
 * or 16 bytes (the 66 forms): PSHUFB, PHADD/PHSUB (wrapping and saturating), PMADDUBSW,
 * PSIGN, PMULHRSW, PABS and PALIGNR. {@code a} is the destination, {@code b} the source.
 */
final class Ssse3 {
    private Ssse3() {}

    static boolean isSsse3(int opcode) {
        int b = opcode & 0xff;
        if (opcode >= Instruction.MAP_0F3A) return b == 0x0f;
        return b <= 0x0b || (b >= 0x1c && b <= 0x1e);
    }

    /** The result of 0F 38 {@code op} (or PALIGNR, with {@code imm}) over a and b. */
    static byte[] apply(int opcode, byte[] a, byte[] b, int imm) {
        int n = a.length;
        byte[] r = new byte[n];
        if (opcode >= Instruction.MAP_0F3A) { // PALIGNR: (a:b) >> 8*imm bytes
            for (int i = 0; i < n; i++) {
                int k = imm + i;
                r[i] = k < n ? b[k] : k < 2 * n ? a[k - n] : 0;
            }
            return r;
        }
        switch (opcode & 0xff) {
            case 0x00 -> { // PSHUFB
                for (int i = 0; i < n; i++) r[i] = b[i] < 0 ? 0 : a[b[i] & (n - 1)];
            }
            case 0x01, 0x02, 0x03, 0x05, 0x06, 0x07 -> horizontal(opcode & 0xff, a, b, r);
            case 0x04 -> { // PMADDUBSW: unsigned bytes of a times signed bytes of b, pairs summed, saturated
                for (int i = 0; i < n / 2; i++) {
                    long s = (a[2 * i] & 0xff) * (long) b[2 * i] + (a[2 * i + 1] & 0xff) * (long) b[2 * i + 1];
                    Lanes.put(r, i, 2, Lanes.saturate(s, 2));
                }
            }
            case 0x08, 0x09, 0x0a -> { // PSIGNB/W/D
                int size = 1 << (opcode & 3);
                for (int i = 0; i < n / size; i++) {
                    long s = Lanes.sget(b, i, size), v = Lanes.get(a, i, size);
                    Lanes.put(r, i, size, s < 0 ? -v : s == 0 ? 0 : v);
                }
            }
            case 0x0b -> { // PMULHRSW
                for (int i = 0; i < n / 2; i++) {
                    long p = Lanes.sget(a, i, 2) * Lanes.sget(b, i, 2);
                    Lanes.put(r, i, 2, ((p >> 14) + 1) >> 1);
                }
            }
            default -> { // 1C-1E PABSB/W/D of the source
                int size = 1 << ((opcode & 0xff) - 0x1c);
                for (int i = 0; i < n / size; i++) Lanes.put(r, i, size, Math.abs(Lanes.sget(b, i, size)));
            }
        }
        return r;
    }

    /** PHADDW/D, PHADDSW, PHSUBW/D, PHSUBSW: pairs of a fill the low half of the result, pairs of b the high. */
    private static void horizontal(int op, byte[] a, byte[] b, byte[] r) {
        int size = (op & 3) == 2 ? 4 : 2;
        boolean sub = op >= 5, sat = (op & 3) == 3;
        int lanes = r.length / size, half = lanes / 2;
        for (int i = 0; i < lanes; i++) {
            byte[] src = i < half ? a : b;
            int k = 2 * (i % half);
            long x = Lanes.sget(src, k, size), y = Lanes.sget(src, k + 1, size);
            long v = sub ? x - y : x + y;
            Lanes.put(r, i, size, sat ? Lanes.saturate(v, size) : v);
        }
    }
}
