package dev.jux.cli;

import dev.jux.abi.Errno;
import dev.jux.host.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program to run as a shell would and reads it, turning every problem into the
 * message and exit status a shell gives: 127 when it does not exist, 126 when it cannot run.
 */
record Program(Path path, String guestPath, byte[] image) {
    static final int NOT_FOUND = 127, CANNOT_EXECUTE = 126;
    private static final int O_PATH = 0x200000;

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
        checkExecutable(name, path);
        try {
            Path real = path.toRealPath();
            return new Program(real, real.toString(), Files.readAllBytes(real));
        } catch (IOException e) {
            throw new Failure(name, "cannot read: " + e.getMessage(), CANNOT_EXECUTE);
        }
    }

    /**
     * Fails as execve would: ENOENT is "not found" (127); any other error of the lookup
     * (ENOTDIR, ELOOP, EACCES on a directory) means it cannot run (126), and so does a file
     * that is not regular or has no x bit (EACCES, even for root).
     */
    private static void checkExecutable(String name, Path path) throws Failure {
        // Java reports ENOTDIR as NoSuchFileException, so ask the host for the errno itself.
        int fd = Libc.open(path.toString(), O_PATH | Libc.O_CLOEXEC);
        if (fd < 0) {
            Errno errno = Errno.of(-fd);
            if (errno == Errno.ENOENT) throw new Failure(name, errno.message(), NOT_FOUND);
            throw new Failure(name, errno != null ? errno.message() : "errno " + -fd, CANNOT_EXECUTE);
        }
        Libc.close(fd);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) throw new Failure(name, "Permission denied", CANNOT_EXECUTE);
    }

    /**
     * The first executable regular file called {@code name} in PATH. As glibc's execvp, a
     * candidate that exists but cannot run (EACCES) does not stop the search, but is what the
     * search reports if nothing else is found.
     */
    private static Path searchPath(String name, String pathVariable) throws Failure {
        if (pathVariable == null) pathVariable = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        boolean denied = false;
        if (!name.isEmpty()) {
            for (String dir : pathVariable.split(":", -1)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
                if (Files.exists(p)) denied = true;
            }
        }
        if (denied) throw new Failure(name, "Permission denied", CANNOT_EXECUTE);
        throw new Failure(name, "No such file or directory", NOT_FOUND);
    }
}
