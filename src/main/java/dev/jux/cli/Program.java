package dev.jux.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program to run as a shell would and reads it, turning every problem into the
 * message and exit status a shell gives: 127 when it does not exist, 126 when it cannot run.
 */
record Program(Path path, String guestPath, byte[] image) {
    static final int NOT_FOUND = 127, CANNOT_EXECUTE = 126;

    /** Why a program cannot be started: the one-line message and the exit status. */
    static final class Failure extends Exception {
        final int status;

        Failure(String name, String reason, int status) {
            super("jux: " + name + ": " + reason);
            this.status = status;
        }
    }

    /** Resolves {@code name} (a path, or a command looked up in PATH) and reads it. */
    static Program find(String name, String pathVariable) throws Failure {
        Path path = name.contains("/") ? Path.of(name) : searchPath(name, pathVariable);
        if (path == null || !Files.exists(path)) throw new Failure(name, "No such file or directory", NOT_FOUND);
        if (Files.isDirectory(path) || !Files.isExecutable(path)) throw new Failure(name, "Permission denied", CANNOT_EXECUTE);
        try {
            Path real = path.toRealPath();
            return new Program(real, real.toString(), Files.readAllBytes(real));
        } catch (IOException e) {
            throw new Failure(name, "cannot read: " + e.getMessage(), CANNOT_EXECUTE);
        }
    }

    private static Path searchPath(String name, String pathVariable) {
        if (pathVariable == null) pathVariable = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : pathVariable.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
