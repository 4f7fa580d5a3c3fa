package dev.jux.fs;

/** What stat(2) reports about a file, in Linux's units (times as seconds + nanoseconds). */
public record Stat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev,
                   long size, long blksize, long blocks,
                   long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                   long ctimeSec, long ctimeNsec) {
}
