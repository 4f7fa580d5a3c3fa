package dev.jux.fs.socket;

import dev.jux.fs.File;
import java.util.List;

/**
 * What one receive got: the value recvmsg returns, the msg_flags it reports (MSG_TRUNC), the
 * sender's name (null: unnamed or none), the credentials to report as SCM_CREDENTIALS (null
 * unless SO_PASSCRED) and the files received with SCM_RIGHTS (null if none; each holds a
 * reference the caller must install or drop).
 */
public record Received(long result, int flags, SocketName from, Ucred credentials, List<File> files) {}
