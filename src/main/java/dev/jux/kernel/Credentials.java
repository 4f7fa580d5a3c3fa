package dev.jux.kernel;

/** A process's user and group ids. Jux's guest runs as root unless told otherwise. */
public record Credentials(int uid, int euid, int suid, int gid, int egid, int sgid) {
    public static final Credentials ROOT = new Credentials(0, 0, 0, 0, 0, 0);

    public static Credentials of(int uid, int gid) {
        return new Credentials(uid, uid, uid, gid, gid, gid);
    }

    public boolean isRoot() {
        return euid == 0;
    }
}
