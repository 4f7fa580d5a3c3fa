package dev.jux.abi;

/** access(2)/faccessat(2) mode bits ({@code <unistd.h>}). */
public final class AccessMode {
    private AccessMode() {}

    public static final int F_OK = 0;
    public static final int X_OK = 1;
    public static final int W_OK = 2;
    public static final int R_OK = 4;

    private static final FlagTable MODES = FlagTable.builder("?_OK")
            .add("R_OK", R_OK)
            .add("W_OK", W_OK)
            .add("X_OK", X_OK)
            .build();

    /** {@code R_OK|W_OK}; F_OK for zero, as strace prints it. */
    public static String render(int mode) {
        return MODES.render(Integer.toUnsignedLong(mode), "F_OK");
    }
}
