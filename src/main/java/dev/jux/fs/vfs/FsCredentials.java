package dev.jux.fs.vfs;

/**
 * The credentials a file-system operation is checked against: Linux's fsuid, fsgid and
 * supplementary groups. Root (fsuid 0) holds CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
 * and CAP_CHOWN, as a root process does on Linux.
 */
public record FsCredentials(int uid, int gid, int[] groups) {
    public static final FsCredentials ROOT = new FsCredentials(0, 0, new int[0]);

    public boolean isRoot() {
        return uid == 0;
    }

    public boolean inGroup(int g) {
        if (g == gid) return true;
        for (int x : groups) if (x == g) return true;
        return false;
    }
}
