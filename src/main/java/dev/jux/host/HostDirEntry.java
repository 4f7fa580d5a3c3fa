package dev.jux.host;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One host directory entry, as getdents64(2) returned it: the host inode number, the host's
 * d_off cookie (its position for a later lseek on the directory), the d_type and the name bytes.
 * d_type is DT_UNKNOWN on file systems that do not record types (Linux leaves it to the caller
 * to lstat then); hostfs must be ready for that.
 */
public record HostDirEntry(long ino, long offset, int type, byte[] name) {

    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6,
            DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

    /** The name decoded as UTF-8, for messages and tests; hostfs keeps the bytes. */
    public String nameString() {
        return new String(name, StandardCharsets.UTF_8);
    }

    /**
     * Appends the entries of a getdents64 buffer ({@code length} bytes used) to {@code out}.
     * struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, then the
     * NUL-terminated name, padded so that the next record is 8-byte aligned. "." and ".." are
     * left out: the VFS makes its own, and the ".." of a mount root lies outside the mount.
     */
    static void decode(MemorySegment buf, long length, List<HostDirEntry> out) {
        long pos = 0;
        while (pos < length) {
            int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, pos + 16));
            long nameStart = pos + 19, nameEnd = nameStart;
            while (nameEnd < pos + reclen && buf.get(JAVA_BYTE, nameEnd) != 0) nameEnd++;
            byte[] name = buf.asSlice(nameStart, nameEnd - nameStart).toArray(JAVA_BYTE);
            if (!isDotOrDotDot(name)) {
                out.add(new HostDirEntry(buf.get(JAVA_LONG, pos), buf.get(JAVA_LONG, pos + 8),
                        Byte.toUnsignedInt(buf.get(JAVA_BYTE, pos + 18)), name));
            }
            pos += reclen;
        }
    }

    private static boolean isDotOrDotDot(byte[] n) {
        return n.length == 1 && n[0] == '.' || n.length == 2 && n[0] == '.' && n[1] == '.';
    }
}
