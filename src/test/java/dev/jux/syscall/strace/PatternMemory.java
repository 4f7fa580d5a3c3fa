package dev.jux.syscall.strace;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.UserMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 8 KiB pattern src/test/c/strace/every-syscall.c maps at 0x100000; elsewhere faults. */
final class PatternMemory implements UserMemory {
    static final long BASE = 0x100000;
    private final byte[] m = new byte[8192];

    PatternMemory() {
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 512; k++) b.putLong(k * 8, 0x101000 + (k * 24) % 4000);
        b.putLong(40 * 8, 0);
        b.putLong(300 * 8, 0);
        for (int i = 0; i < 4096; i++) {
            int c = i % 29;
            m[4096 + i] = (byte) (c == 28 ? 0 : c == 27 ? '\n' : c == 26 ? 0x7f : 'a' + (i * 7) % 26);
        }
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        if (len < 0 || addr < BASE || addr + len > BASE + m.length) throw new LinuxException(Errno.EFAULT);
        System.arraycopy(m, (int) (addr - BASE), dst, off, len);
    }

    @Override
    public void write(long addr, byte[] src, int off, int len) {
        throw new UnsupportedOperationException("read-only pattern");
    }
}
