package dev.jux.fs;

import static dev.jux.abi.OpenFlags.*;

/** What the VFS makes of open(2) flags (the bits themselves are in abi/OpenFlags). */
public final class FileFlags {
    private FileFlags() {}

    /** The status flags fcntl(F_SETFL) may change (Linux's SETFL_MASK). */
    public static final int SETTABLE = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;

    /** The status flags after fcntl(F_SETFL, requested): only the SETTABLE bits change. */
    public static int afterSetfl(int current, int requested) {
        return (current & ~SETTABLE) | (requested & SETTABLE);
    }

    public static boolean readable(int flags) {
        return (flags & O_ACCMODE) != O_WRONLY;
    }

    public static boolean writable(int flags) {
        return (flags & O_ACCMODE) != O_RDONLY;
    }
}
