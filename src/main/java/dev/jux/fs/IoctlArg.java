package dev.jux.fs;

/**
 * ioctl(2)'s third argument as a file's ioctl sees it: the raw value, or guest memory at that
 * address (EFAULT from the accessors when it is not mapped).
 */
public interface IoctlArg {
    long value();

    int readInt();

    void writeInt(int v);

    byte[] read(int length);

    void write(byte[] bytes);
}
