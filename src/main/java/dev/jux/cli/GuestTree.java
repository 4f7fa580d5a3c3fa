package dev.jux.cli;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.RootTree;
import dev.jux.fs.hostfs.HostFs;
import dev.jux.fs.tmpfs.TmpFs;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Dentry;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.Permissions;
import dev.jux.host.HostException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The guest's mount tree as jux run's options describe it: the root (the host's / read-only
 * under a tmpfs, or a host directory with --root), then each --mount and --tmpfs in command-line order. Mount points
 * are resolved by the guest's own PathWalker (so a symlink in the root cannot send one outside
 * it); a missing one is created (a directory, or an empty file for a file mount) when its
 * parent is writable.
 */
final class GuestTree {
    /** Setting up the guest's tree failed: one line, exit 125. */
    static final class SetupError extends Exception {
        SetupError(String message) {
            super(message);
        }
    }

    private GuestTree() {}

    static Mount build(RunOptions o) throws SetupError {
        Mount root;
        if (o.rootDir() != null) {
            HostFs fs = openHost(o.rootDir(), !o.rootWritable(), "--root");
            if (!fs.root().isDirectory()) throw new SetupError("jux: --root " + o.rootDir() + ": Not a directory");
            root = Mount.root(fs);
            RootTree.mountSystemFiles(root);
        } else {
            root = RootTree.overHost();
        }
        for (RunOptions.MountSpec m : o.mounts()) {
            if (m.isTmpfs()) {
                Location at = mountPoint(root, m.target(), true, "--tmpfs");
                Mount.attach(new TmpFs(01777, 0, 0), at);
            } else {
                HostFs fs = openHost(m.source(), m.readOnly(), "--mount");
                Location at = mountPoint(root, m.target(), fs.root().isDirectory(), "--mount");
                if (at.inode().isDirectory() != fs.root().isDirectory()) {
                    throw new SetupError("jux: --mount " + m.source() + ":" + m.target() + ": "
                            + (fs.root().isDirectory() ? "Not a directory" : "Is a directory"));
                }
                Mount.attach(fs, Dentry.root(fs.root()), at, m.readOnly());
            }
        }
        return root;
    }

    private static HostFs openHost(String source, boolean readOnly, String option) throws SetupError {
        try {
            return HostFs.open(Path.of(source), readOnly);
        } catch (HostException e) {
            Errno errno = Errno.of(e.errno());
            throw new SetupError("jux: " + option + " " + source + ": " + (errno != null ? errno.message() : e.getMessage()));
        } catch (LinuxException e) {
            throw new SetupError("jux: " + option + " " + source + ": " + e.errno().message());
        }
    }

    private static PathWalker walker(Mount root) {
        return new PathWalker(root.rootLocation(), FsCredentials.ROOT);
    }

    /** The location of {@code target}, creating missing components (directories; the last one a file if not {@code directory}). */
    private static Location mountPoint(Mount root, String target, boolean directory, String option) throws SetupError {
        PathWalker w = walker(root);
        Location cur = root.rootLocation();
        String[] parts = target.split("/+");
        try {
            for (int k = 0; k < parts.length; k++) {
                if (parts[k].isEmpty()) continue;
                ByteString name = ByteString.of(parts[k]);
                boolean last = k == parts.length - 1;
                Location next = w.resolve(cur, name, true);
                cur = next;
                if (!last && !cur.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
            }
            return cur;
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOENT) throw new SetupError("jux: " + option + " " + target + ": " + e.errno().message());
        }
        // Create what is missing, one component at a time, as mkdir -p (and touch) would.
        try {
            cur = root.rootLocation();
            for (int k = 0; k < parts.length; k++) {
                if (parts[k].isEmpty()) continue;
                ByteString name = ByteString.of(parts[k]);
                boolean last = k == parts.length - 1;
                Location next = w.child(cur, name);
                if (next != null && next.inode().isSymlink()) next = w.resolve(cur, name, true);
                if (next == null) {
                    if (cur.mount().isReadOnly()) throw new LinuxException(Errno.EROFS);
                    Inode dir = cur.inode();
                    if (!last || directory) dir.mkdir(name, 0755, 0, 0);
                    else dir.create(name, FileMode.S_IFREG | 0644, 0, 0, 0);
                    next = w.child(cur, name);
                }
                cur = next;
            }
            return cur;
        } catch (LinuxException e) {
            throw new SetupError("jux: " + option + " " + target + ": cannot create the mount point: " + e.errno().message());
        }
    }

    /** The working directory: ENOENT, ENOTDIR... are a one-line error (exit 125). */
    static Location workdir(Mount root, String dir) throws SetupError {
        if (dir == null) return root.rootLocation();
        try {
            Location l = walker(root).resolve(root.rootLocation(), ByteString.of(dir), true);
            if (!l.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
            return l;
        } catch (LinuxException e) {
            throw new SetupError("jux: --workdir " + dir + ": " + e.errno().message());
        }
    }

    /**
     * Finds PROGRAM inside the guest's tree, as execve would there: a name with '/' is a path
     * (relative to the working directory), otherwise each directory of PATH is tried. Nothing
     * outside the guest's root can be named.
     */
    static Program findProgram(Mount root, Location cwd, String name, String pathVariable) throws Program.Failure {
        PathWalker w = walker(root);
        if (name.contains("/")) return load(w, cwd, name, name);
        if (pathVariable == null) pathVariable = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        boolean denied = false;
        if (!name.isEmpty()) {
            for (String dir : pathVariable.split(":", -1)) {
                String candidate = (dir.isEmpty() ? "." : dir) + "/" + name;
                try {
                    return load(w, cwd, name, candidate);
                } catch (Program.Failure f) {
                    if (f.status == Program.CANNOT_EXECUTE) denied = true;
                }
            }
        }
        if (denied) throw new Program.Failure(name, "Permission denied", Program.CANNOT_EXECUTE);
        throw new Program.Failure(name, "No such file or directory", Program.NOT_FOUND);
    }

    private static Program load(PathWalker w, Location cwd, String name, String path) throws Program.Failure {
        Location l;
        try {
            l = w.resolve(cwd, ByteString.of(path), true);
        } catch (LinuxException e) {
            throw new Program.Failure(name, e.errno().message(), e.errno() == Errno.ENOENT ? Program.NOT_FOUND : Program.CANNOT_EXECUTE);
        }
        Inode i = l.inode();
        if (!i.isRegular() || !Permissions.allowed(i, FsCredentials.ROOT, Permissions.MAY_EXEC)) {
            throw new Program.Failure(name, "Permission denied", Program.CANNOT_EXECUTE);
        }
        try (Arena a = Arena.ofConfined()) {
            long size = i.size();
            if (size > Integer.MAX_VALUE - 16) throw new Program.Failure(name, "File too large", Program.CANNOT_EXECUTE);
            MemorySegment buf = a.allocate(Math.max(1, size));
            long done = 0;
            while (done < size) {
                long n = i.read(done, buf.asSlice(done, size - done));
                if (n <= 0) break;
                done += n;
            }
            byte[] image = buf.asSlice(0, done).toArray(JAVA_BYTE);
            String guestPath = new String(dev.jux.fs.vfs.Attributes.pathOf(l, w.root()).toByteArray(), StandardCharsets.UTF_8);
            return new Program(null, guestPath, image);
        } catch (LinuxException e) {
            throw new Program.Failure(name, "cannot read: " + e.errno().message(), Program.CANNOT_EXECUTE);
        }
    }

    /**
     * With --user, execve's permission checks as that user: every directory on the way
     * searchable and the file executable by it (EACCES: exit 126). A path the guest's tree
     * does not have (a host program hidden by a mount) is left to the host's checks.
     */
    static void checkExecutable(Mount root, Location cwd, Program program, String name, FsCredentials creds) throws Program.Failure {
        try {
            Location l = new PathWalker(root.rootLocation(), creds).resolve(cwd, ByteString.of(program.guestPath()), true);
            Permissions.check(l.inode(), creds, Permissions.MAY_EXEC);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EACCES) throw new Program.Failure(name, "Permission denied", Program.CANNOT_EXECUTE);
        }
    }

    /** Jux's environment with each --env K=V added, or replacing the variable K in place. */
    static List<String> environment(List<String> base, List<String> overrides) {
        List<String> env = new java.util.ArrayList<>(base);
        for (String kv : overrides) {
            String key = kv.substring(0, kv.indexOf('=') + 1);
            boolean replaced = false;
            for (int k = 0; k < env.size(); k++) {
                if (env.get(k).startsWith(key)) {
                    env.set(k, kv);
                    replaced = true;
                    break;
                }
            }
            if (!replaced) env.add(kv);
        }
        return env;
    }
}
