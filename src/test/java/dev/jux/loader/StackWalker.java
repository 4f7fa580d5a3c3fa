package dev.jux.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads a stack image the way a C runtime's _start does: from rsp upwards. */
final class StackWalker {
    final long argc;
    final List<Long> argvPointers = new ArrayList<>();
    final List<Long> envpPointers = new ArrayList<>();
    final List<AuxEntry> auxv = new ArrayList<>();
    /** Offset of the first auxv pair from rsp. */
    final int auxvOffset;
    private final ByteBuffer img;
    private final long base;

    StackWalker(byte[] image, long base) {
        this.img = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        this.base = base;
        argc = img.getLong(0);
        int at = 8;
        for (long p; (p = img.getLong(at)) != 0; at += 8) argvPointers.add(p);
        at += 8;
        for (long p; (p = img.getLong(at)) != 0; at += 8) envpPointers.add(p);
        at += 8;
        auxvOffset = at;
        while (true) {
            AuxEntry e = new AuxEntry(img.getLong(at), img.getLong(at + 8));
            auxv.add(e);
            at += 16;
            if (e.type() == AuxEntry.AT_NULL) break;
        }
    }

    long aux(long type) {
        return auxv.stream().filter(e -> e.type() == type).findFirst().orElseThrow().value();
    }

    byte[] string(long addr) {
        int from = (int) (addr - base);
        int to = from;
        while (img.get(to) != 0) to++;
        return Arrays.copyOfRange(img.array(), from, to);
    }

    byte[] bytes(long addr, int len) {
        int from = (int) (addr - base);
        return Arrays.copyOfRange(img.array(), from, from + len);
    }

    List<String> strings(List<Long> pointers) {
        return pointers.stream().map(p -> new String(string(p))).toList();
    }
}
