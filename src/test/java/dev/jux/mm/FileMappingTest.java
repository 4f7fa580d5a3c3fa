package dev.jux.mm;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.mm.AddressSpace.FaultResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** File mappings: pages from the file at the right offset, private copies, shared frames and write-back. */
class FileMappingTest {
    private static final int RW = READ | WRITE;
    private static final long A = 0x2000_0000L, B = 0x3000_0000L;

    private final FakePlatform platform = new FakePlatform();
    private final FrameAllocator frames = new FrameAllocator(platform.ram());
    private final long baseline = frames.usedFrames();
    private final AddressSpace as = new AddressSpace(platform, frames);
    private final FakeFile file = FakeFile.pages(3, 100);

    @AfterEach
    void close() {
        platform.close();
    }

    private long mapFile(AddressSpace space, long at, long len, int prot, int flags, long offset) {
        return space.map(at, len, prot, FIXED, flags, "", file, offset);
    }

    private byte at(AddressSpace space, long va) {
        return space.read(va, 1)[0];
    }

    @Test
    void pagesComeFromTheFileAtTheOffsetAndTheTailIsZero() {
        mapFile(as, A, 3 * PAGE, READ, 0, PAGE);
        assertEquals('B', at(as, A));
        assertEquals('C', at(as, A + PAGE + 4095));
        assertEquals('a', at(as, A + 2 * PAGE + 99));
        assertEquals(0, at(as, A + 2 * PAGE + 100));
    }

    @Test
    void aPageWhollyPastTheEndIsSigbusAndEfaultForTheKernel() {
        mapFile(as, A, 6 * PAGE, READ, 0, 0);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A + 3 * PAGE + 200, false, false));
        assertEquals(FaultResult.SIGBUS, as.handleFault(A + 4 * PAGE, false, false));
        assertEquals(FaultResult.SIGBUS, as.handleFault(A + 5 * PAGE + 1, false, false));
        assertEquals(Errno.EFAULT, assertThrows(LinuxException.class, () -> as.read(A + 4 * PAGE, 1)).errno());
    }

    @Test
    void privateWritesNeverReachTheFile() {
        mapFile(as, A, 2 * PAGE, RW, 0, 0);
        as.write(A, new byte[] {'z'});
        assertEquals('z', at(as, A));
        assertEquals('A', file.data[0]);
        as.unmap(A, 2 * PAGE);
        assertEquals(0, file.writes);
        as.destroy();
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void splitPiecesKeepTheirFileOffsets() {
        mapFile(as, A, 4 * PAGE, READ, 0, 0);
        as.unmap(A + PAGE, PAGE);
        as.protect(A + 2 * PAGE, PAGE, READ | Vma.EXEC);
        List<Vma> v = as.vmas();
        assertEquals(List.of(0L, 2 * PAGE, 3 * PAGE), v.stream().map(Vma::offset).toList());
        assertEquals('C', at(as, A + 2 * PAGE));
        assertEquals('a', at(as, A + 3 * PAGE));
        // MAP_FIXED over the middle of a file mapping: the pieces around it keep theirs.
        mapFile(as, B, 3 * PAGE, READ, 0, 0);
        as.map(B + PAGE, PAGE, READ, FIXED, 0, "");
        assertEquals('C', at(as, B + 2 * PAGE));
        assertEquals(2 * PAGE, as.findVma(B + 2 * PAGE).offset());
    }

    @Test
    void discardedPrivatePagesAreReadFromTheFileAgain() {
        mapFile(as, A, PAGE, RW, 0, 0);
        as.write(A, new byte[] {'q'});
        as.discard(A, PAGE);
        assertEquals('A', at(as, A));
    }

    @Test
    void sharedMappingsInTwoProcessesShareFramesAndWriteBackOnSync() {
        AddressSpace other = new AddressSpace(platform, frames);
        mapFile(as, A, 2 * PAGE, RW, Vma.SHARED, 0);
        mapFile(other, B, PAGE, RW, Vma.SHARED, PAGE);
        assertEquals(1, frames.pageCache().size());
        as.write(A + PAGE + 1, new byte[] {'s'});
        assertEquals('s', at(other, B + 1));
        assertEquals('B', file.data[(int) PAGE + 1], "not written back yet");
        other.sync(B, PAGE);
        assertEquals('s', file.data[(int) PAGE + 1]);
        assertEquals(1, file.writes, "only the dirty page");
        as.destroy();
        other.destroy();
        assertEquals(0, frames.pageCache().size());
        assertEquals(baseline, frames.usedFrames());
    }

    @Test
    void aSharedPageReadFirstIsMappedReadOnlyAndTheWriteFaultMakesItDirty() {
        mapFile(as, A, 2 * PAGE, RW, Vma.SHARED, 0);
        assertEquals(FaultResult.RESOLVED, as.handleFault(A, false, false));
        as.sync(A, 2 * PAGE);
        assertEquals(0, file.writes, "nothing written: nothing is dirty");
        assertEquals(FaultResult.RESOLVED, as.handleFault(A, true, false));
        as.write(A, new byte[] {'w'});
        as.unmap(A, PAGE);
        assertEquals('w', file.data[0], "munmap writes back");
        assertEquals(1, file.writes);
    }

    @Test
    void theLastUnmapWritesBackButNeverPastTheEnd() {
        mapFile(as, A, PAGE, RW, Vma.SHARED, 3 * PAGE);
        as.write(A + 99, new byte[] {'T'});
        as.write(A + 200, new byte[] {'X'});
        as.unmap(A, PAGE);
        assertEquals(3 * PAGE + 100, file.data.length);
        assertEquals('T', file.data[3 * (int) PAGE + 99]);
        assertEquals(0, frames.pageCache().size());
    }

    @Test
    void splittingASharedMappingKeepsItsPagesShared() {
        mapFile(as, A, 3 * PAGE, RW, Vma.SHARED, 0);
        as.write(A + 2 * PAGE, new byte[] {'k'});
        as.unmap(A + PAGE, PAGE);
        as.unmap(A, PAGE);
        assertEquals(1, frames.pageCache().size(), "the last piece still holds it");
        assertEquals('k', at(as, A + 2 * PAGE));
        as.unmap(A + 2 * PAGE, PAGE);
        assertEquals('k', file.data[2 * (int) PAGE]);
        assertEquals(0, frames.pageCache().size());
    }

    @Test
    void privateFilePagesAreCopyOnWriteAcrossFork() {
        mapFile(as, A, PAGE, RW, 0, 0);
        as.write(A, new byte[] {'p'});
        AddressSpace child = as.fork();
        child.write(A, new byte[] {'c'});
        assertEquals('p', at(as, A));
        assertEquals('c', at(child, A));
        child.destroy();
        as.destroy();
        assertEquals(baseline, frames.usedFrames());
        assertTrue(file.writes == 0);
    }

    @Test
    void remappingASharedMappingKeepsItsObjectAndOffset() {
        mapFile(as, A, PAGE, RW, Vma.SHARED, PAGE);
        as.write(A, new byte[] {'m'});
        as.map(A + PAGE, PAGE, READ, FIXED, 0, "");          // no room to grow in place
        long to = as.remap(A, PAGE, 2 * PAGE, true, -1, false);
        assertTrue(to != A);
        assertEquals(1, frames.pageCache().size());
        assertEquals('m', at(as, to));
        assertEquals('C', at(as, to + PAGE));
        assertEquals(PAGE, as.findVma(to).offset());
        as.unmap(to, 2 * PAGE);
        assertEquals('m', file.data[(int) PAGE]);
        assertEquals(0, frames.pageCache().size());
    }

    @Test
    void readsAndWritesOfTheFileGoThroughTheSharedPagesWhileTheyExist() {
        mapFile(as, A, 2 * PAGE, RW, Vma.SHARED, 0);
        assertTrue(file.attached != null);
        as.write(A + PAGE + 2, new byte[] {'m'});
        // read(2): the file's bytes, overlaid with the frames' (a mapping's write not yet written back)
        byte[] got = new byte[4];
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var dst = arena.allocate(4);
            long n = file.read(PAGE, dst);
            file.attached.overlay(PAGE, dst, n);
            got = dst.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            // write(2): the bytes reach the mapped frame at once
            var src = arena.allocate(1);
            src.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'W');
            file.write(1, src);
            file.attached.written(1, src);
        }
        assertArrayEquals(new byte[] {'B', 'B', 'm', 'B'}, got);
        assertEquals('W', at(as, A + 1));
        as.destroy();
        assertEquals(null, file.attached);
    }
}
