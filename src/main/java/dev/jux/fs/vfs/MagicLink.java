package dev.jux.fs.vfs;

/**
 * A symlink that leads to a place rather than a path: Linux's magic links (/proc/PID/fd/N and
 * friends, proc_fd_link with nd_jump_link). readlink(2) shows a name, but following the link
 * reaches the open file itself, so a deleted file, a memfd or a pipe can be opened again by it
 * ({@code cat /dev/stdin}, bash's {@code <(...)}, which is /dev/fd/63).
 */
public interface MagicLink {
    /** Where following the link at {@code link} leads (the file's own place, or an {@link OpenFileNode}). */
    Location jump(Location link);
}
