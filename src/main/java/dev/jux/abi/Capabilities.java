package dev.jux.abi;

/**
 * Capabilities' ABI (include/uapi/linux/capability.h): the highest capability number this
 * kernel knows, the full set, and capget/capset's header versions.
 */
public final class Capabilities {
    private Capabilities() {}

    /** CAP_CHECKPOINT_RESTORE, the last since Linux 5.9; /proc/sys/kernel/cap_last_cap. */
    public static final int CAP_LAST_CAP = 40;
    /** Every capability, and the bounding set: bits 0 to CAP_LAST_CAP. */
    public static final long ALL = (1L << (CAP_LAST_CAP + 1)) - 1;

    /** capget/capset header versions: v1 moves one 32-bit word per set, v2 and v3 two. */
    public static final int VERSION_1 = 0x19980330, VERSION_2 = 0x20071026, VERSION_3 = 0x20080522;
}
