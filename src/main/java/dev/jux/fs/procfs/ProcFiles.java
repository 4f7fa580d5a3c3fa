package dev.jux.fs.procfs;

import dev.jux.abi.DeviceNumber;
import dev.jux.fs.File;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Dentry;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.abi.DeviceNumber;
import dev.jux.abi.LinuxException;
import dev.jux.host.HostFiles;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The text of procfs's files, in Linux's formats (fs/proc/*.c). */
final class ProcFiles {
    private ProcFiles() {}

    static final int PID_MAX = 4194304;

    /** comm: at most 15 bytes (TASK_COMM_LEN - 1). */
    static String comm(ProcessView p) {
        String c = p.comm();
        return c == null ? "" : c;
    }

    /** A location as the process sees it (cwd, root, fd links); Linux's d_path, " (deleted)" when removed. */
    static String path(Location l, ProcessView p) {
        if (l == null) return null;
        try {
            return Attributes.pathOf(l, p.root()).toString();
        } catch (LinuxException e) {
            return "/" + l.dentry().name() + " (deleted)";
        }
    }

    /** What /proc/PID/fd/N reads: a path for VFS files, pipe:[ino] for pipes, the host's own name for host streams. */
    static String fdTarget(File f, ProcessView p) {
        if (f instanceof VfsFile v) return path(v.location(), p);
        // A terminal opened at a node (/dev/tty, /dev/pts/N, /dev/ptmx) links to that node, as
        // d_path of its f_path: ttyname compares the link's stat with the fd's.
        if (f.location() != null && f instanceof dev.jux.fs.IoctlFile) return path(f.location(), p);
        return f.procName();
    }

    static String maps(ProcessView p) {
        return maps(p.mappings());
    }

    static String maps(java.util.List<ProcessView.Mapping> mappings) {
        StringBuilder sb = new StringBuilder();
        for (ProcessView.Mapping m : mappings) {
            int lineStart = sb.length();
            sb.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d ", m.start(), m.end(),
                    (m.prot() & 1) != 0 ? 'r' : '-', (m.prot() & 2) != 0 ? 'w' : '-', (m.prot() & 4) != 0 ? 'x' : '-',
                    m.shared() ? 's' : 'p', m.offset(), DeviceNumber.major(m.device()), DeviceNumber.minor(m.device()),
                    m.inode()));
            if (m.name() != null && !m.name().isEmpty()) {
                // seq_pad: names start at column 73.
                while (sb.length() - lineStart < 72) sb.append(' ');
                sb.append(' ').append(m.name());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** /proc/PID/mounts (Linux's show_vfsmnt) or mountinfo (show_mountinfo) for the mounts under the process's root. */
    static String mounts(ProcessView p, boolean info) {
        Location root = p.root();
        Mount top = root.mount();
        while (top.parent() != null) top = top.parent();
        List<Mount> order = new ArrayList<>();
        ArrayDeque<Mount> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            Mount m = todo.pop();
            order.add(m);
            List<Mount> kids = m.children();
            for (int k = kids.size() - 1; k >= 0; k--) todo.push(kids.get(k));
        }
        StringBuilder sb = new StringBuilder();
        for (Mount m : order) {
            String at;
            try {
                at = Attributes.pathOf(new Location(m, m.root()), root).toString();
            } catch (LinuxException e) {
                continue;
            }
            if (at.startsWith("(unreachable)")) continue;
            String type = m.fileSystem().type();
            String opts = m.isReadOnly() ? "ro" : "rw";
            if (!info) {
                sb.append(type).append(' ').append(escape(at)).append(' ').append(type).append(' ').append(opts).append(" 0 0\n");
            } else {
                // The namespace's root mount names itself as parent when its parent is not visible (Linux: its own id).
                int id = m.id();
                int parent = m.parent() == null || !order.contains(m.parent()) ? id : m.parent().id();
                long dev = m.fileSystem().dev();
                sb.append(id).append(' ').append(parent).append(' ')
                        .append(DeviceNumber.major(dev)).append(':').append(DeviceNumber.minor(dev)).append(' ')
                        .append(escape(rootWithin(m.root()))).append(' ').append(escape(at)).append(' ').append(opts)
                        .append(" - ").append(type).append(' ').append(type).append(' ').append(opts).append('\n');
            }
        }
        return sb.toString();
    }

    /** The path of a mount's root dentry inside its own file system ("/" unless a bind mount). */
    private static String rootWithin(Dentry d) {
        List<ByteString> names = new ArrayList<>();
        while (!d.isRoot()) {
            names.add(d.name());
            d = d.parent();
        }
        if (names.isEmpty()) return "/";
        StringBuilder sb = new StringBuilder();
        for (int k = names.size() - 1; k >= 0; k--) sb.append('/').append(names.get(k));
        return sb.toString();
    }

    /** mangle(): space, tab, newline and backslash as octal escapes. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\') sb.append(String.format("\\%03o", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    static String version(ProcSource s) {
        return "Linux version " + s.osRelease() + " (jux@jux) (Jux, a Java kernel) " + s.version() + "\n";
    }

    static String filesystems() {
        return "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\nnodev\tpipefs\nnodev\toverlay\nnodev\thostfs\n";
    }
}
