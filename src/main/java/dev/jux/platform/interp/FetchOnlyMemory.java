package dev.jux.platform.interp;

/**
 * A {@link Memory} the decoder only fetches from: the snapshots of code bytes that decoded
 * blocks ({@link DecodedBlocks}) and translations ({@link BlockTranslator}) are made from.
 * Data loads and stores are never asked of it.
 */
abstract class FetchOnlyMemory implements Memory {
    @Override public final int read8(long a) { throw new UnsupportedOperationException(); }
    @Override public final int read16(long a) { throw new UnsupportedOperationException(); }
    @Override public final int read32(long a) { throw new UnsupportedOperationException(); }
    @Override public final long read64(long a) { throw new UnsupportedOperationException(); }
    @Override public final void write8(long a, int v) { throw new UnsupportedOperationException(); }
    @Override public final void write16(long a, int v) { throw new UnsupportedOperationException(); }
    @Override public final void write32(long a, int v) { throw new UnsupportedOperationException(); }
    @Override public final void write64(long a, long v) { throw new UnsupportedOperationException(); }
}
