package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The struct timespec[2] (atime, then mtime) that utimensat(2) and futimens(2) take. */
final class Timespecs {
    private Timespecs() {}

    static MemorySegment of(Arena arena, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
        MemorySegment t = arena.allocate(32, 8);
        t.set(JAVA_LONG, 0, atimeSec);
        t.set(JAVA_LONG, 8, atimeNsec);
        t.set(JAVA_LONG, 16, mtimeSec);
        t.set(JAVA_LONG, 24, mtimeNsec);
        return t;
    }
}
