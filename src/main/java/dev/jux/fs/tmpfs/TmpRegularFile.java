package dev.jux.fs.tmpfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.FileSeals;
import dev.jux.fs.vfs.Inode;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs regular file: sparse, one 4 KiB page per written (or fallocated) page index. A hole
 * reads as zeros and uses no memory; st_blocks counts the pages, as on Linux.
 */
final class TmpRegularFile extends Inode {
    private static final int PAGE = BLOCK_SIZE;
    private final TmpFs fs;
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private long size;
    /** A memfd's seals; null for other files. */
    private final FileSeals seals;

    TmpRegularFile(TmpFs fs, int mode, int uid, int gid) {
        this(fs, mode, uid, gid, null);
    }

    TmpRegularFile(TmpFs fs, int mode, int uid, int gid, FileSeals seals) {
        super(fs, fs.allocateIno(), mode, uid, gid);
        this.fs = fs;
        this.seals = seals;
        fs.inodesUsed.incrementAndGet();
    }

    @Override
    public FileSeals seals() {
        return seals;
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public synchronized long blocks() {
        return (long) pages.size() * (PAGE / 512);
    }

    @Override
    public synchronized long read(long pos, MemorySegment dst) {
        if (pos >= size) return 0;
        long n = Math.min(dst.byteSize(), size - pos);
        long done = 0;
        while (done < n) {
            long at = pos + done;
            int inPage = (int) (at % PAGE);
            int k = (int) Math.min(PAGE - inPage, n - done);
            byte[] page = pages.get(at / PAGE);
            if (page == null) dst.asSlice(done, k).fill((byte) 0);
            else MemorySegment.copy(MemorySegment.ofArray(page), inPage, dst, done, k);
            done += k;
        }
        return n;
    }

    @Override
    public synchronized long write(long pos, MemorySegment src) {
        long n = src.byteSize();
        if (pos < 0 || pos + n < 0) throw new LinuxException(Errno.EFBIG);
        long done = 0;
        while (done < n) {
            long at = pos + done;
            int inPage = (int) (at % PAGE);
            int k = (int) Math.min(PAGE - inPage, n - done);
            MemorySegment.copy(src, done, MemorySegment.ofArray(page(at / PAGE)), inPage, k);
            done += k;
        }
        if (pos + n > size) size = pos + n;
        return n;
    }

    private byte[] page(long index) {
        byte[] p = pages.get(index);
        if (p == null) {
            p = new byte[PAGE];
            pages.put(index, p);
            fs.pagesUsed.incrementAndGet();
        }
        return p;
    }

    @Override
    public synchronized void truncate(long length) {
        if (seals != null) seals.checkResize(length, size);
        if (length < size) {
            // Drop whole pages past the end, zero the tail of the last one: a later extension reads zeros.
            long firstGone = (length + PAGE - 1) / PAGE;
            Map<Long, byte[]> tail = pages.tailMap(firstGone, true);
            fs.pagesUsed.addAndGet(-tail.size());
            tail.clear();
            byte[] last = pages.get(length / PAGE);
            if (last != null && length % PAGE != 0) java.util.Arrays.fill(last, (int) (length % PAGE), PAGE, (byte) 0);
        }
        size = length;
    }

    @Override
    public synchronized void allocate(long offset, long length, boolean keepSize) {
        if (offset + length < 0) throw new LinuxException(Errno.EFBIG);
        if (seals != null && !keepSize && offset + length > size) seals.checkResize(offset + length, size);
        for (long i = offset / PAGE; i <= (offset + length - 1) / PAGE; i++) page(i);
        if (!keepSize && offset + length > size) size = offset + length;
    }

    /** SEEK_DATA finds the next present page, SEEK_HOLE the next absent one (or the end of file). */
    @Override
    public synchronized long seekData(long pos, boolean hole) {
        if (pos < 0 || pos >= size) throw new LinuxException(Errno.ENXIO);
        long index = pos / PAGE;
        if (!hole) {
            Long next = pages.ceilingKey(index);
            if (next == null || next * PAGE >= size) throw new LinuxException(Errno.ENXIO);
            return Math.max(pos, next * PAGE);
        }
        while (pages.containsKey(index)) index++;
        return Math.min(Math.max(pos, index * PAGE), size);
    }
}
