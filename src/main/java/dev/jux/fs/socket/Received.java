package dev.jux.fs.socket;

import dev.jux.fs.File;
import java.util.List;

/**
 * What one receive got: the value recvmsg returns, the msg_flags it reports (MSG_TRUNC), the
 * sender's name (null: unnamed or none), the credentials to report as SCM_CREDENTIALS (null
 * unless SO_PASSCRED), the files received with SCM_RIGHTS (null if none; each holds a
 * reference the caller must install or drop) and a protocol's own control message to report
 * before the credentials (null if none: netlink's NETLINK_PKTINFO).
 */
public record Received(long result, int flags, SocketName from, Ucred credentials, List<File> files, ControlMessage control) {
    public Received(long result, int flags, SocketName from, Ucred credentials, List<File> files) {
        this(result, flags, from, credentials, files, null);
    }

    /** A control message (cmsg) of {@code level} and {@code type} carrying {@code data}. */
    public record ControlMessage(int level, int type, byte[] data) {}
}
