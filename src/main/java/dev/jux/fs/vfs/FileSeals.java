package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import static dev.jux.abi.Fcntl.*;

/**
 * The seals of a memfd file (fcntl F_ADD_SEALS/F_GET_SEALS, Linux's mm/memfd.c): what may no
 * longer happen to the file. SHRINK and GROW forbid size changes, WRITE and FUTURE_WRITE
 * writes through fds and new shared writable mappings (WRITE also existing ones: it is EBUSY
 * while they exist), SEAL forbids more seals.
 */
public final class FileSeals {
    /** F_SEAL_EXEC (Linux 6.3) too: accepted, with nothing to forbid here. */
    public static final int F_SEAL_EXEC = 0x20;
    private static final int KNOWN = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;
    private int seals;

    /** {@code sealable}: MFD_ALLOW_SEALING; without it the file starts sealed with F_SEAL_SEAL. */
    public FileSeals(boolean sealable) {
        seals = sealable ? 0 : F_SEAL_SEAL;
    }

    public synchronized int get() {
        return seals;
    }

    /**
     * F_ADD_SEALS: EINVAL for unknown bits, EPERM once F_SEAL_SEAL is set, EBUSY for F_SEAL_WRITE
     * while the file has shared writable mappings.
     */
    public synchronized void add(int more, boolean writableMappings) {
        if ((more & ~KNOWN) != 0) throw new LinuxException(Errno.EINVAL);
        if ((seals & F_SEAL_SEAL) != 0) throw new LinuxException(Errno.EPERM);
        if ((more & F_SEAL_WRITE) != 0 && (seals & F_SEAL_WRITE) == 0 && writableMappings) throw new LinuxException(Errno.EBUSY);
        seals |= more;
    }

    /** A write(2) of {@code n} bytes at {@code pos} to a file of {@code size} bytes. */
    public synchronized void checkWrite(long pos, long n, long size) {
        if ((seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) throw new LinuxException(Errno.EPERM);
        if ((seals & F_SEAL_GROW) != 0 && pos + n > size) throw new LinuxException(Errno.EPERM);
    }

    /** A size change from {@code size} to {@code length} (ftruncate, fallocate). */
    public synchronized void checkResize(long length, long size) {
        if ((seals & F_SEAL_SHRINK) != 0 && length < size) throw new LinuxException(Errno.EPERM);
        if ((seals & F_SEAL_GROW) != 0 && length > size) throw new LinuxException(Errno.EPERM);
    }

    /** True if a new shared writable mapping is forbidden (mmap EPERM; mprotect then may not add PROT_WRITE). */
    public synchronized boolean forbidsSharedWrite() {
        return (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0;
    }
}
