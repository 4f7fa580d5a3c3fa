package dev.jux.fs.socket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/** The bytes a TCP socket has received and not yet read: a queue of chunks, read from the front. */
final class StreamBuffer {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already read. */
    private int head;
    private long size;

    long size() {
        return size;
    }

    void append(MemorySegment src, long offset, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, b, 0, length);
        chunks.add(b);
        size += length;
    }

    /**
     * Copies up to {@code length} bytes into {@code dst} at {@code offset} (none if {@code dst}
     * is null: MSG_TRUNC discards) and, unless {@code peek}, removes them. Returns the count.
     */
    long take(MemorySegment dst, long offset, long length, boolean peek) {
        long done = 0;
        int skip = head;
        for (byte[] c : chunks) {
            if (done >= length) break;
            int n = (int) Math.min(c.length - skip, length - done);
            if (dst != null) MemorySegment.copy(c, skip, dst, ValueLayout.JAVA_BYTE, offset + done, n);
            done += n;
            skip = 0;
        }
        if (!peek) discard(done);
        return done;
    }

    private void discard(long n) {
        size -= n;
        while (n > 0) {
            byte[] c = chunks.peekFirst();
            int left = c.length - head;
            if (n >= left) {
                chunks.removeFirst();
                head = 0;
                n -= left;
            } else {
                head += (int) n;
                n = 0;
            }
        }
    }

    void clear() {
        chunks.clear();
        head = 0;
        size = 0;
    }
}
