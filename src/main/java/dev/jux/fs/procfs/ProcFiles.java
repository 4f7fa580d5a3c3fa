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
    private static final int PAGE_KB = 4;

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
        StringBuilder sb = new StringBuilder();
        for (ProcessView.Mapping m : p.mappings()) {
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

    private static long vmSizeKb(ProcessView p) {
        long bytes = 0;
        for (ProcessView.Mapping m : p.mappings()) bytes += m.end() - m.start();
        return bytes / 1024;
    }

    static String stat(ProcessView p) {
        long vsize = vmSizeKb(p) * 1024;
        StringBuilder sb = new StringBuilder();
        sb.append(p.pid()).append(" (").append(comm(p)).append(") ").append(p.state()).append(' ').append(p.parentPid())
                .append(' ').append(p.processGroup()).append(' ').append(p.session())
                .append(' ').append(p.terminalDevice()).append(' ').append(p.terminalForegroundGroup())
                .append(" 4194304 0 0 0 0 0 0 0 0 20 0 ").append(p.threads()).append(" 0 0 ")
                .append(vsize).append(' ').append(p.residentPages()).append(" 18446744073709551615");
        for (int k = 26; k <= 37; k++) sb.append(" 0"); // startcode .. cnswap
        sb.append(" 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"); // exit_signal .. exit_code
        return sb.toString();
    }

    static String status(ProcessView p) {
        int[] u = p.uids(), g = p.gids();
        long rssKb = p.residentPages() * PAGE_KB;
        return "Name:\t" + comm(p) + "\n"
                + String.format("Umask:\t%04o\n", p.umask())
                + "State:\t" + stateName(p.state()) + "\n"
                + "Tgid:\t" + p.pid() + "\nNgid:\t0\nPid:\t" + p.pid() + "\nPPid:\t" + p.parentPid() + "\nTracerPid:\t0\n"
                + "Uid:\t" + ids(u) + "\n"
                + "Gid:\t" + ids(g) + "\n"
                + "FDSize:\t64\nGroups:\t" + groupList(p.groups()) + " \n"
                + "VmSize:\t" + pad(vmSizeKb(p)) + " kB\n"
                + "VmRSS:\t" + pad(rssKb) + " kB\n"
                + "Threads:\t" + p.threads() + "\n";
    }

    /** Linux's task_state: the groups separated by spaces; status() adds one trailing space even when there are none. */
    private static String groupList(int[] groups) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < groups.length; k++) sb.append(k == 0 ? "" : " ").append(Integer.toUnsignedString(groups[k]));
        return sb.toString();
    }

    private static String ids(int[] v) {
        return Integer.toUnsignedString(v[0]) + "\t" + Integer.toUnsignedString(v[1]) + "\t" + Integer.toUnsignedString(v[2]) + "\t" + Integer.toUnsignedString(v[3]);
    }

    private static String stateName(char state) {
        return switch (state) {
            case 'S' -> "S (sleeping)";
            case 'T' -> "T (stopped)";
            case 'Z' -> "Z (zombie)";
            default -> "R (running)";
        };
    }

    private static String pad(long kb) {
        return String.format("%8d", kb);
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
                int id = order.indexOf(m) + 1;
                int parent = m.parent() == null ? 0 : order.indexOf(m.parent()) + 1;
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

    /** The host's first processor, as the one vCPU Jux offers (processor 0, 1 sibling, 1 core). */
    static String cpuinfo() {
        String host = HostFiles.readHostText("/proc/cpuinfo");
        if (host == null) return "processor\t: 0\n\n";
        int end = host.indexOf("\n\n");
        String first = end < 0 ? host : host.substring(0, end + 1);
        StringBuilder sb = new StringBuilder();
        for (String line : first.split("\n")) {
            String key = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : line.trim();
            switch (key) {
                case "processor", "core id", "apicid", "initial apicid" -> sb.append(key).append(tabs(key)).append(": 0\n");
                case "siblings", "cpu cores" -> sb.append(key).append(tabs(key)).append(": 1\n");
                default -> sb.append(line).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** Linux aligns cpuinfo keys with tabs to 16 columns ("processor\t: 0", "cpu cores\t: 4"). */
    private static String tabs(String key) {
        return key.length() < 8 ? "\t\t" : "\t";
    }

    static String meminfo(ProcSource s) {
        long total = s.memoryTotalBytes() / 1024, free = s.memoryFreeBytes() / 1024;
        String[][] rows = {
                {"MemTotal", "" + total}, {"MemFree", "" + free}, {"MemAvailable", "" + free},
                {"Buffers", "0"}, {"Cached", "0"}, {"SwapCached", "0"}, {"Active", "0"}, {"Inactive", "0"},
                {"SwapTotal", "0"}, {"SwapFree", "0"}, {"Dirty", "0"}, {"Writeback", "0"},
                {"AnonPages", "" + (total - free)}, {"Mapped", "0"}, {"Shmem", "0"}, {"Slab", "0"},
                {"CommitLimit", "" + total}, {"Committed_AS", "" + (total - free)},
        };
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) sb.append(String.format("%-16s%8s kB\n", r[0] + ":", r[1]));
        return sb.toString();
    }

    static String uptime(ProcSource s) {
        long cs = s.uptimeNanos() / 10_000_000L;
        return String.format("%d.%02d 0.00\n", cs / 100, cs % 100);
    }

    static String loadavg(ProcSource s) {
        return "0.00 0.00 0.00 1/" + s.pids().size() + " " + s.lastPid() + "\n";
    }

    static String version(ProcSource s) {
        return "Linux version " + s.osRelease() + " (jux@jux) (Jux, a Java kernel) " + s.version() + "\n";
    }

    static String filesystems() {
        return "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tdevpts\nnodev\tpipefs\nnodev\toverlay\nnodev\thostfs\n";
    }
}
