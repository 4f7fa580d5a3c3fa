package dev.jux.fs.tty;

/** A growable double-ended queue of bytes with indexed access (the line discipline's buffers). */
final class ByteQueue {
    private byte[] data = new byte[256];
    private int head, size;

    int size() {
        return size;
    }

    void add(byte b) {
        if (size == data.length) grow();
        data[(head + size) % data.length] = b;
        size++;
    }

    byte get(int i) {
        return data[(head + i) % data.length];
    }

    byte last() {
        return get(size - 1);
    }

    byte removeFirst() {
        byte b = data[head];
        head = (head + 1) % data.length;
        size--;
        return b;
    }

    byte removeLast() {
        byte b = last();
        size--;
        return b;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private void grow() {
        byte[] bigger = new byte[data.length * 2];
        for (int i = 0; i < size; i++) bigger[i] = get(i);
        data = bigger;
        head = 0;
    }
}
