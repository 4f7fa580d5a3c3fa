package dev.jux.syscall;

import dev.jux.fs.IoctlArg;
import dev.jux.kernel.Task;

/** ioctl(2)'s third argument over the calling task's memory (EFAULT from the memory accessors). */
record UserIoctlArg(Task task, long value) implements IoctlArg {
    @Override
    public int readInt() {
        return task.memory().readInt(value);
    }

    @Override
    public void writeInt(int v) {
        task.memory().write(value, new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    @Override
    public byte[] read(int length) {
        return task.memory().read(value, length);
    }

    @Override
    public void write(byte[] bytes) {
        task.memory().write(value, bytes);
    }

    @Override
    public IoctlArg at(long address) {
        return new UserIoctlArg(task, address);
    }
}
