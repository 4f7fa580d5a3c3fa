package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import java.util.Arrays;

/**
 * A unix socket's name (struct sockaddr_un, unix(7)): a file-system path, or an abstract name
 * (sun_path[0] == 0, the bytes as given, not NUL-terminated). An unnamed socket has none
 * ({@code null} where an address is expected).
 */
public final class UnixAddress implements SocketName {
    public static final int AF_UNSPEC = 0, AF_UNIX = 1;
    /** offsetof(struct sockaddr_un, sun_path). */
    public static final int PATH_OFFSET = 2;
    /** sizeof(struct sockaddr_un). */
    public static final int MAX_LENGTH = 110;
    /** What getsockname/getpeername/accept report for an unnamed socket: the family alone. */
    public static final byte[] UNNAMED = {AF_UNIX, 0};

    private final byte[] name;
    private final boolean isAbstract;

    private UnixAddress(byte[] name, boolean isAbstract) {
        this.name = name;
        this.isAbstract = isAbstract;
    }

    /**
     * unix_validate_addr + unix_mkname: EINVAL unless {@code raw} (addrlen bytes) is longer than
     * the family, at most sizeof(sockaddr_un), and AF_UNIX. A path ends at its first NUL.
     */
    public static UnixAddress parse(byte[] raw) {
        if (raw.length <= PATH_OFFSET || raw.length > MAX_LENGTH) throw new LinuxException(Errno.EINVAL);
        if (family(raw) != AF_UNIX) throw new LinuxException(Errno.EINVAL);
        if (raw[PATH_OFFSET] == 0) return new UnixAddress(Arrays.copyOfRange(raw, PATH_OFFSET, raw.length), true);
        int end = PATH_OFFSET;
        while (end < raw.length && raw[end] != 0) end++;
        return new UnixAddress(Arrays.copyOfRange(raw, PATH_OFFSET, end), false);
    }

    static UnixAddress abstractName(byte[] name) {
        return new UnixAddress(name, true);
    }

    /** The sa_family of a raw address (0 if too short). */
    public static int family(byte[] raw) {
        return raw.length < 2 ? 0 : (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
    }

    public boolean isAbstract() {
        return isAbstract;
    }

    /** The path of a path name. */
    public ByteString path() {
        return ByteString.copyOf(name);
    }

    ByteString abstractKey() {
        return ByteString.copyOf(name);
    }

    /** The sockaddr_un as Linux reports it: family, then the name (a path with its NUL). */
    public byte[] sockaddr() {
        byte[] out = new byte[PATH_OFFSET + name.length + (isAbstract ? 0 : 1)];
        out[0] = AF_UNIX;
        System.arraycopy(name, 0, out, PATH_OFFSET, name.length);
        return out;
    }
}
