package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bin/lib/hotspot-compile-commands names Jux's methods by string; HotSpot ignores a command
 * whose method does not exist, so a rename would silently lose the interpreter's inlined run
 * loop (docs/platform-interp.md, "One compiled loop"). Every {@code inline} command must name
 * a method that exists.
 */
class HotspotCompileCommandsTest {
    private static final Path FILE = Path.of("bin/lib/hotspot-compile-commands");

    @Test
    void inlineCommandsNameExistingMethods() throws IOException, ClassNotFoundException {
        List<String> inlines = Files.readAllLines(FILE).stream()
                .map(String::strip).filter(l -> l.startsWith("inline,")).toList();
        assertFalse(inlines.isEmpty(), "no inline command in " + FILE);
        for (String line : inlines) {
            String pattern = line.substring("inline,".length());
            int dot = pattern.lastIndexOf('.');
            String className = pattern.substring(0, dot).replace('/', '.');
            String method = pattern.substring(dot + 1);
            Method[] methods = Class.forName(className).getDeclaredMethods();
            assertTrue(Arrays.stream(methods).anyMatch(m -> m.getName().equals(method)),
                    line + ": " + className + " has no method " + method);
        }
    }

    @Test
    void theRunLoopIsInlined() throws IOException {
        List<String> lines = Files.readAllLines(FILE).stream().map(String::strip).toList();
        assertTrue(lines.contains("inline,dev/jux/platform/interp/Interpreter.execute"));
        assertTrue(lines.contains("inline,dev/jux/platform/interp/FastPath.execute"));
    }
}
