package dev.jux.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One way of building a C test program. Every program is built in each flavour and each
 * binary is tested on its own: the C libraries start up differently (glibc's static start-up
 * applies its own relocations when position-independent, musl's is minimal).
 */
public enum Flavour {
    /** Static glibc at a fixed address. */
    GLIBC("glibc", "gcc", List.of("-static")),
    /** Static-PIE glibc: no interpreter, but loaded at a random base and self-relocating. */
    GLIBC_PIE("glibc-pie", "gcc", List.of("-static-pie", "-fPIE")),
    /** Static musl (Debian's musl-tools). */
    MUSL("musl", "musl-gcc", List.of("-static"));

    private final String id;
    private final String compiler;
    private final List<String> flags;

    Flavour(String id, String compiler, List<String> flags) {
        this.id = id;
        this.compiler = compiler;
        this.flags = flags;
    }

    /** The name used in directives ({@code // flavours: glibc musl}) and in test names. */
    public String id() {
        return id;
    }

    public String compiler() {
        return compiler;
    }

    public List<String> flags() {
        return flags;
    }

    /** True if the compiler is on the PATH. */
    public boolean compilerAvailable() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, compiler))) return true;
        }
        return false;
    }

    public static Flavour byId(String id) {
        for (Flavour f : values()) {
            if (f.id.equals(id)) return f;
        }
        throw new IllegalArgumentException("unknown flavour '" + id + "' (known: glibc, glibc-pie, musl)");
    }
}
