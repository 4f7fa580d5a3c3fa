package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The check that keeps every {@link HostDirectory} operation to one path component: the host
 * walks nothing on Jux's behalf. A name with '/' would let the host resolve several components
 * (and follow symlinks in all but the last, whatever O_NOFOLLOW says); ".." would climb out of
 * a mount root; "." and "" would name the directory itself; a NUL would cut the C string short,
 * so the host would act on a different name than the one checked. The VFS resolves all of
 * these itself, so reaching here with one is a kernel bug: IllegalArgumentException, not an errno.
 */
final class ChildName {
    private ChildName() {}

    /** Checks {@code name} and copies it into {@code arena} as a NUL-terminated C string. */
    static MemorySegment cString(Arena arena, byte[] name) {
        check(name);
        MemorySegment s = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, s, JAVA_BYTE, 0, name.length);
        return s;  // allocate() zeroes, so the last byte is the NUL
    }

    static void check(byte[] name) {
        if (name.length == 0) throw new IllegalArgumentException("empty name");
        if (name.length == 1 && name[0] == '.' || name.length == 2 && name[0] == '.' && name[1] == '.') {
            throw new IllegalArgumentException("\"" + new String(name, StandardCharsets.UTF_8) + "\" is not a child name");
        }
        for (byte b : name) {
            if (b == '/' || b == 0) throw new IllegalArgumentException("a child name holds no '/' or NUL");
        }
    }
}
