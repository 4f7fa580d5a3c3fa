package dev.jux.abi;


/**
 * Thrown anywhere in the kernel to fail the current system call with an errno. The syscall
 * layer turns it into {@code -errno} in RAX; it never escapes to the guest any other way.
 */
public final class LinuxException extends RuntimeException {
    private final Errno errno;

    public LinuxException(Errno errno) {
        super(errno.name(), null, false, false);
        this.errno = errno;
    }

    public LinuxException(Errno errno, String detail) {
        super(errno.name() + ": " + detail, null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
