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

    /** The same process's memory at {@code address} (a pointer inside the argument, as SIOCGIFCONF's ifc_buf). */
    default IoctlArg at(long address) {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EFAULT);
    }
}
