package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.Madvise;
import dev.jux.abi.MmapFlags;

/** Address-space calls. mmap, mremap and brk return addresses, so strace prints them in hex. */
final class MemoryDecoders {
    private MemoryDecoders() {}

    static void register(Decoder[] t) {
        t[MMAP] = Decoder.of((c, p) -> p.ptr(c.arg(0)).unsigned(c.arg(1))
                .add(MmapFlags.renderProt(c.arg(2))).add(MmapFlags.renderFlags(c.intArg(3)))
                .decimal(c.intArg(4)).hex(c.arg(5)), Results::hex);
        t[MPROTECT] = Decoder.of((c, p) -> p.ptr(c.arg(0)).unsigned(c.arg(1))
                .add(MmapFlags.renderProt(c.arg(2))));
        t[MUNMAP] = Decoder.of((c, p) -> p.ptr(c.arg(0)).unsigned(c.arg(1)));
        t[BRK] = Decoder.of((c, p) -> p.ptr(c.arg(0)), Results::hex);
        t[MREMAP] = Decoder.of(MemoryDecoders::mremap, Results::hex);
        t[MADVISE] = Decoder.of((c, p) -> p.ptr(c.arg(0)).unsigned(c.arg(1))
                .add(Madvise.render(c.intArg(2))));
    }

    /** The new address only matters, and is only shown, with both MAYMOVE and FIXED. */
    private static void mremap(Call c, Printer p) {
        long flags = c.arg(3);
        p.ptr(c.arg(0)).unsigned(c.arg(1)).unsigned(c.arg(2)).add(MmapFlags.renderMremap(flags));
        int both = MmapFlags.MREMAP_MAYMOVE | MmapFlags.MREMAP_FIXED;
        if ((flags & both) == both) p.ptr(c.arg(4));
    }
}
