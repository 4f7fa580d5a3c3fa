package dev.jux.host;

/** A host call that Jux cannot do without failed; carries the host errno. */
public final class HostException extends RuntimeException {
    private final int errno;

    public HostException(String call, int errno) {
        super(call + " failed: errno " + errno);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
