package dev.jux.fs.vfs;

/** What statfs(2) reports (struct statfs fields, in Linux's order). */
public record StatFs(long type, long blockSize, long blocks, long blocksFree, long blocksAvailable,
                     long files, long filesFree, long fsid, long nameMax, long fragmentSize, long flags) {
    /** f_flags: ST_RDONLY, ST_NOSUID... and ST_VALID (0x20), which Linux always sets. */
    public static final long ST_RDONLY = 1, ST_VALID = 0x20;
}
