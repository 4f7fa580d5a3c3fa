package dev.jux.fs.vfs;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.tmpfs.TmpFs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tmpfs inodes directly: sparse files, directory order and offsets, link counts. */
class TmpFsTest {
    private final TmpFs fs = new TmpFs(0755, 0, 0);
    private final Inode root = fs.root();

    private static ByteString n(String s) {
        return ByteString.of(s);
    }

    @Test
    void sparseFilesReadZerosAndSeekByPage() {
        Inode f = root.create(n("f"), FileMode.S_IFREG | 0644, 0, 0, 0);
        f.write(3 * 4096 + 10, MemorySegment.ofArray(new byte[] {1, 2, 3}));
        assertEquals(3 * 4096 + 13, f.size());
        assertEquals(8, f.blocks());
        byte[] out = new byte[8];
        java.util.Arrays.fill(out, (byte) 7);
        assertEquals(8, f.read(100, MemorySegment.ofArray(out)));
        assertArrayEquals(new byte[8], out);
        assertEquals(3 * 4096, f.seekData(0, false));
        assertEquals(0, f.seekData(0, true));
        assertEquals(3 * 4096 + 13, f.seekData(3 * 4096, true));
        LinuxException e = assertThrows(LinuxException.class, () -> f.seekData(3 * 4096 + 13, false));
        assertEquals(Errno.ENXIO, e.errno());
        f.truncate(3 * 4096 + 11);
        f.truncate(4 * 4096);
        byte[] tail = new byte[3];
        f.read(3 * 4096 + 10, MemorySegment.ofArray(tail));
        assertArrayEquals(new byte[] {1, 0, 0}, tail);
        f.truncate(0);
        assertEquals(0, f.blocks());
    }

    @Test
    void directoriesListInCreationOrderWithStableOffsets() {
        for (String s : List.of("c", "a", "b")) root.create(n(s), FileMode.S_IFREG | 0644, 0, 0, 0);
        List<String> names = new ArrayList<>();
        List<Long> offs = new ArrayList<>();
        root.readdir(0, root.ino(), (name, ino, type, next) -> {
            names.add(name.toString());
            offs.add(next);
            return true;
        });
        assertEquals(List.of(".", "..", "c", "a", "b"), names);
        root.remove(n("a"));
        // Resuming after "c" still gives "b" although "a" went away.
        List<String> rest = new ArrayList<>();
        root.readdir(offs.get(2), root.ino(), (name, ino, type, next) -> rest.add(name.toString()));
        assertEquals(List.of("b"), rest);
    }

    @Test
    void linkCountsFollowLinuxTmpfs() {
        Inode d = root.mkdir(n("d"), 0755, 0, 0);
        assertEquals(3, root.nlink());
        assertEquals(2, d.nlink());
        Inode f = d.create(n("f"), FileMode.S_IFREG | 0644, 0, 0, 0);
        d.link(n("g"), f);
        assertEquals(2, f.nlink());
        d.remove(n("f"));
        assertEquals(1, f.nlink());
        d.remove(n("g"));
        root.remove(n("d"));
        assertEquals(0, d.nlink());
        assertEquals(2, root.nlink());
        assertEquals(40, root.size());
    }

    @Test
    void eachFileSystemHasItsOwnDevice() {
        assertNotEquals(fs.dev(), new TmpFs(0755, 0, 0).dev());
        assertEquals(TmpFs.MAGIC, fs.statfs().type());
    }
}
