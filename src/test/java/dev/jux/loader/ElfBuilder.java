package dev.jux.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small synthetic ELF64 x86-64 files, valid or deliberately broken, for tests. */
final class ElfBuilder {
    int type = 2; // ET_EXEC
    int machine = 62;
    long entry = 0x400100;
    long phoff = 64;
    int phentsize = 56;
    int phnum = -1; // -1: the number of headers added
    int size = 0x3000;
    private final List<ProgramHeader> headers = new ArrayList<>();
    private final List<Object[]> patches = new ArrayList<>();

    /** An ET_EXEC with one R+X PT_LOAD covering the first page (headers included). */
    static ElfBuilder minimal() {
        return new ElfBuilder().load(ProgramHeader.PF_R | ProgramHeader.PF_X, 0, 0x400000, 0x1000, 0x1000);
    }

    ElfBuilder ph(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
        headers.add(new ProgramHeader(type, flags, offset, vaddr, filesz, memsz, align));
        return this;
    }

    ElfBuilder load(int flags, long offset, long vaddr, long filesz, long memsz) {
        return ph(ProgramHeader.PT_LOAD, flags, offset, vaddr, filesz, memsz, 0x1000);
    }

    /** A PT_INTERP at file offset 0x800 holding {@code path} (NUL added if {@code nul}). */
    ElfBuilder interp(String path, boolean nul) {
        byte[] b = (path + (nul ? "\0" : "")).getBytes();
        at(0x800, b);
        return ph(ProgramHeader.PT_INTERP, ProgramHeader.PF_R, 0x800, 0x400800, b.length, b.length, 1);
    }

    ElfBuilder at(int offset, byte[] bytes) {
        patches.add(new Object[] {offset, bytes});
        return this;
    }

    byte[] build() {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1);
        b.putLong(24, entry).putLong(32, phoff).putShort(52, (short) 64);
        b.putShort(54, (short) phentsize).putShort(56, (short) (phnum < 0 ? headers.size() : phnum));
        int at = (int) phoff;
        for (ProgramHeader ph : headers) {
            if (at < 0 || at + 56 > size) break;
            b.putInt(at, ph.type()).putInt(at + 4, ph.flags()).putLong(at + 8, ph.offset())
                    .putLong(at + 16, ph.vaddr()).putLong(at + 24, ph.vaddr()).putLong(at + 32, ph.filesz())
                    .putLong(at + 40, ph.memsz()).putLong(at + 48, ph.align());
            at += 56;
        }
        for (Object[] p : patches) b.put((int) p[0], (byte[]) p[1]);
        return b.array();
    }
}
