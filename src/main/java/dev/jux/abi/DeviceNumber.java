package dev.jux.abi;

/**
 * Device numbers as user space sees them in st_rdev and mknod(2): glibc's 64-bit
 * {@code dev_t} encoding (makedev/major/minor in {@code <sys/sysmacros.h>}), which holds the
 * kernel's 12-bit major and 20-bit minor.
 */
public final class DeviceNumber {
    private DeviceNumber() {}

    public static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & 0xfffff000L);
    }

    public static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xffffff00L);
    }

    public static long makedev(long major, long minor) {
        return ((major & 0xfff) << 8) | ((major & 0xfffff000L) << 32)
                | (minor & 0xff) | ((minor & 0xffffff00L) << 12);
    }

    /** strace's form: {@code makedev(0x1, 0x3)}. */
    public static String render(long dev) {
        return "makedev(" + Hex.of(major(dev)) + ", " + Hex.of(minor(dev)) + ")";
    }
}
