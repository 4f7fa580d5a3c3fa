package dev.jux.fs;

/**
 * The part every kind of open file description shares: its status flags (Linux's
 * {@code file->f_flags}), set at open and changed only in the bits fcntl(F_SETFL) may
 * change. Subclasses set {@link #flags} in their constructors and read it on their paths
 * (O_NONBLOCK, O_APPEND...).
 */
public abstract class AbstractFile implements File {
    protected volatile int flags;

    @Override
    public int statusFlags() {
        return flags;
    }

    @Override
    public void setStatusFlags(int newFlags) {
        flags = FileFlags.afterSetfl(flags, newFlags);
    }
}
