package dev.jux.host;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A host struct statfs, decoded (fstatfs(2)). {@code fsid} is f_fsid's two ints as one
 * little-endian long, so that it can be handed on unchanged.
 */
public record HostStatfs(long type, long blockSize, long blocks, long blocksFree, long blocksAvailable,
                         long files, long filesFree, long fsid, long nameMax, long fragmentSize, long flags) {

    /** Size of struct statfs on x86-64 (eleven 8-byte fields, then f_spare[4]). */
    public static final int SIZE = 120;

    public static HostStatfs decode(MemorySegment s) {
        long[] f = new long[11];
        for (int i = 0; i < f.length; i++) f[i] = s.get(JAVA_LONG_UNALIGNED, i * 8L);
        return new HostStatfs(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
    }
}
