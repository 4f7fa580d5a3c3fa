package dev.jux.abi;

/** getrandom(2) flags ({@code <linux/random.h>}). */
public final class RandomFlags {
    private RandomFlags() {}

    public static final int GRND_NONBLOCK = 0x1;
    public static final int GRND_RANDOM = 0x2;
    public static final int GRND_INSECURE = 0x4;

    private static final FlagTable FLAGS = FlagTable.builder("GRND_???")
            .add("GRND_NONBLOCK", GRND_NONBLOCK)
            .add("GRND_RANDOM", GRND_RANDOM)
            .add("GRND_INSECURE", GRND_INSECURE)
            .build();

    public static String render(int flags) {
        return FLAGS.render(Integer.toUnsignedLong(flags));
    }
}
