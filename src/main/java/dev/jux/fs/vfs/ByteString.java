package dev.jux.fs.vfs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string: a file name or a path. Linux names are bytes, not text, so names
 * that are not UTF-8 must survive unchanged; {@link #toString()} shows them as ISO-8859-1.
 */
public final class ByteString {
    public static final ByteString EMPTY = new ByteString(new byte[0]);
    public static final ByteString DOT = of(".");
    public static final ByteString DOTDOT = of("..");

    private final byte[] bytes;
    private final int hash;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps a copy of {@code bytes}. */
    public static ByteString copyOf(byte[] bytes) {
        return new ByteString(bytes.clone());
    }

    public static ByteString copyOf(byte[] bytes, int from, int to) {
        return new ByteString(Arrays.copyOfRange(bytes, from, to));
    }

    /** A name from Java text, as ISO-8859-1 (tests and built-in names). */
    public static ByteString of(String s) {
        return new ByteString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int i) {
        return bytes[i];
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteString b && b.hash == hash && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
