package dev.jux.mm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** A file in a byte array, as a {@link FileBacking}: counts the write-backs it receives. */
final class FakeFile implements FileBacking {
    byte[] data;
    int writes;
    /** The shared pages attached now (what an inode's read/write hooks would use), or null. */
    SharedPages attached;

    FakeFile(byte[] data) {
        this.data = data;
    }

    /** {@code pages} pages, page i filled with 'A' + i, then {@code tail} bytes of 'a'. */
    static FakeFile pages(int pages, int tail) {
        byte[] b = new byte[pages * 4096 + tail];
        for (int i = 0; i < pages; i++) Arrays.fill(b, i * 4096, (i + 1) * 4096, (byte) ('A' + i));
        Arrays.fill(b, pages * 4096, b.length, (byte) 'a');
        return new FakeFile(b);
    }

    @Override
    public long read(long offset, MemorySegment dst) {
        if (offset >= data.length) return 0;
        int n = (int) Math.min(dst.byteSize(), data.length - offset);
        MemorySegment.copy(data, (int) offset, dst, ValueLayout.JAVA_BYTE, 0, n);
        return n;
    }

    @Override
    public void write(long offset, MemorySegment src) {
        writes++;
        int end = (int) (offset + src.byteSize());
        if (end > data.length) data = Arrays.copyOf(data, end);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, data, (int) offset, (int) src.byteSize());
    }

    @Override
    public void attach(SharedPages pages) {
        attached = pages;
    }

    @Override
    public void detach(SharedPages pages) {
        attached = null;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public Object identity() {
        return this;
    }

    @Override
    public long device() {
        return 0x801;
    }

    @Override
    public long inode() {
        return 42;
    }

    @Override
    public String path() {
        return "/fake";
    }
}
