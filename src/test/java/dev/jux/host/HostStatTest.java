package dev.jux.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.StatLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoders of host structs, against buffers built field by field. */
class HostStatTest {
    @Test
    void structStatDecodesEveryField() {
        // abi's encoder is the guest-side view of the same x86-64 layout: they must agree.
        byte[] raw = StatLayout.encode(1, 2, 3, HostStat.S_IFLNK | 0777, -2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        HostStat st = HostStat.decode(MemorySegment.ofArray(raw));
        assertEquals(new HostStat(1, 2, HostStat.S_IFLNK | 0777, 3, -2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), st);
        assertEquals(0xfffffffeL, Integer.toUnsignedLong(st.uid()));
        assertTrue(st.isSymlink());
        assertFalse(st.isDirectory() || st.isRegularFile());
        assertEquals(HostStat.S_IFLNK, st.type());
    }

    @Test
    void structStatfsDecodesEveryField() {
        MemorySegment s = MemorySegment.ofArray(new byte[HostStatfs.SIZE]);
        for (int i = 0; i < 11; i++) s.set(ValueLayout.JAVA_LONG_UNALIGNED, i * 8L, 100 + i);
        assertEquals(new HostStatfs(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110), HostStatfs.decode(s));
    }

    @Test
    void getdents64RecordsDecodeAndSkipDotEntries() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256, 8);
            long end = 0;
            end = dirent(buf, end, 10, 1, HostDirEntry.DT_DIR, ".");
            end = dirent(buf, end, 11, 2, HostDirEntry.DT_DIR, "..");
            end = dirent(buf, end, 12, 3, HostDirEntry.DT_REG, "a-longer-name");
            end = dirent(buf, end, 13, 4, HostDirEntry.DT_LNK, "...");
            List<HostDirEntry> out = new ArrayList<>();
            HostDirEntry.decode(buf, end, out);
            assertEquals(2, out.size());
            assertEquals(12, out.get(0).ino());
            assertEquals(3, out.get(0).offset());
            assertEquals(HostDirEntry.DT_REG, out.get(0).type());
            assertEquals("a-longer-name", out.get(0).nameString());
            assertEquals("...", out.get(1).nameString(), "only . and .. are left out");
            assertEquals(HostDirEntry.DT_LNK, out.get(1).type());
        }
    }

    /** Writes one struct linux_dirent64 at {@code pos}, padded to 8 bytes as the kernel does; returns the end. */
    private static long dirent(MemorySegment buf, long pos, long ino, long off, int type, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        int reclen = (19 + n.length + 1 + 7) & ~7;
        buf.set(ValueLayout.JAVA_LONG, pos, ino);
        buf.set(ValueLayout.JAVA_LONG, pos + 8, off);
        buf.set(ValueLayout.JAVA_SHORT, pos + 16, (short) reclen);
        buf.set(ValueLayout.JAVA_BYTE, pos + 18, (byte) type);
        MemorySegment.copy(n, 0, buf, ValueLayout.JAVA_BYTE, pos + 19, n.length);
        return pos + reclen;
    }
}
