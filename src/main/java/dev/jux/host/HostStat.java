package dev.jux.host;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A host struct stat, decoded. Values are the host's own (its device numbers, inode numbers,
 * uids): hostfs decides what of it the guest sees. uid and gid are unsigned 32-bit on Linux;
 * read them with {@link Integer#toUnsignedLong} if they may exceed 2^31.
 */
public record HostStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev,
                       long size, long blksize, long blocks,
                       long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec,
                       long ctimeSec, long ctimeNsec) {

    /** Size of struct stat on x86-64. */
    public static final int SIZE = 144;

    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000,
            S_IFREG = 0100000, S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000,
            S_IFIFO = 0010000;

    /**
     * Decodes x86-64 struct stat: st_dev, st_ino, st_nlink (u64 each), st_mode, st_uid, st_gid
     * (u32 each, then 4 bytes of padding), st_rdev, st_size, st_blksize, st_blocks (64-bit each),
     * then st_atim, st_mtim, st_ctim (struct timespec, 16 bytes each). Note nlink comes before
     * mode here, unlike the generic layout other architectures use. Unaligned reads, so that a
     * copy in a Java byte array decodes too.
     */
    public static HostStat decode(MemorySegment st) {
        return new HostStat(u64(st, 0), u64(st, 8), u32(st, 24), u64(st, 16), u32(st, 28), u32(st, 32),
                u64(st, 40), u64(st, 48), u64(st, 56), u64(st, 64),
                u64(st, 72), u64(st, 80), u64(st, 88), u64(st, 96), u64(st, 104), u64(st, 112));
    }

    private static long u64(MemorySegment s, long offset) {
        return s.get(JAVA_LONG_UNALIGNED, offset);
    }

    private static int u32(MemorySegment s, long offset) {
        return s.get(JAVA_INT_UNALIGNED, offset);
    }

    /** The file type bits (S_IFMT) of the mode. */
    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }
}
