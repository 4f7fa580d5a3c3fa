package dev.jux.cli;

import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.kernel.Credentials;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * {@code --user USER[:GROUP]}: the ids pid 1 runs with, resolved as docker run (runc's
 * GetExecUser) does against the guest's own /etc/passwd and /etc/group:
 *
 * <ul>
 *   <li>USER is a name or a number. A name must be in /etc/passwd. A number need not be; when
 *       it is, its entry gives the primary group, otherwise the group is 0 (as docker).</li>
 *   <li>GROUP, if given, is a name (it must be in /etc/group) or a number, and replaces the
 *       primary group; there are then no supplementary groups.</li>
 *   <li>Without GROUP, a user found in /etc/passwd also gets, as supplementary groups, every
 *       /etc/group entry that lists its name as a member.</li>
 * </ul>
 * Ids range over 0 .. 4294967294 ((uid_t) -1 is never an id).
 */
record GuestUser(String user, String group) {
    private static final long MAX_ID = 0xfffffffeL;

    /** Checks the syntax of an option value: USER or USER:GROUP, neither empty. */
    static GuestUser parse(String spec) throws UsageException {
        int colon = spec.indexOf(':');
        String u = colon < 0 ? spec : spec.substring(0, colon);
        String g = colon < 0 ? null : spec.substring(colon + 1);
        if (u.isEmpty() || (g != null && (g.isEmpty() || g.contains(":")))) {
            throw new UsageException("bad value '" + spec + "' for --user: USER[:GROUP] is needed (names or numbers)");
        }
        if (isNumber(u) && numeric(u) < 0 || g != null && isNumber(g) && numeric(g) < 0) {
            throw new UsageException("bad value '" + spec + "' for --user: ids go from 0 to " + MAX_ID);
        }
        return new GuestUser(u, g);
    }

    private static boolean isNumber(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The id, or -1 when out of range. */
    private static long numeric(String s) {
        if (s.length() > 10) return -1;
        long v = Long.parseLong(s);
        return v <= MAX_ID ? v : -1;
    }

    /** One line of /etc/passwd or /etc/group, split on ':'. */
    private record Entry(String name, long id, long gid, List<String> members) {}

    /** The credentials, looking names up in the guest's tree; a name that is not there is a SetupError. */
    Credentials resolve(Mount root) throws GuestTree.SetupError {
        List<Entry> passwd = read(root, "/etc/passwd", true);
        Entry pw = null;
        for (Entry e : passwd) {
            if (isNumber(user) ? e.id == numeric(user) : e.name.equals(user)) {
                pw = e;
                break;
            }
        }
        if (pw == null && !isNumber(user)) {
            throw new GuestTree.SetupError("jux: --user: unable to find user " + user + ": no matching entries in passwd file");
        }
        long uid = pw != null ? pw.id : numeric(user);
        long gid = pw != null ? pw.gid : 0;
        List<Long> supplementary = new ArrayList<>();
        if (group != null) {
            if (isNumber(group)) {
                gid = numeric(group);
            } else {
                Entry gr = read(root, "/etc/group", false).stream().filter(e -> e.name.equals(group)).findFirst().orElse(null);
                if (gr == null) throw new GuestTree.SetupError("jux: --user: unable to find group " + group + ": no matching entries in group file");
                gid = gr.id;
            }
        } else if (pw != null) {
            for (Entry e : read(root, "/etc/group", false)) if (e.members.contains(pw.name)) supplementary.add(e.id);
        }
        return Credentials.of((int) uid, (int) gid, supplementary.stream().mapToInt(Long::intValue).toArray());
    }

    /** The well-formed entries of a passwd (name:x:uid:gid:...) or group (name:x:gid:members) file; none if it is missing. */
    private static List<Entry> read(Mount root, String path, boolean passwd) {
        List<Entry> out = new ArrayList<>();
        String text = readFile(root, path);
        if (text == null) return out;
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < (passwd ? 4 : 3) || !isNumber(f[2]) || f[2].isEmpty()) continue;
            long id = numeric(f[2]);
            if (id < 0) continue;
            if (passwd) {
                if (!isNumber(f[3]) || f[3].isEmpty() || numeric(f[3]) < 0) continue;
                out.add(new Entry(f[0], id, numeric(f[3]), List.of()));
            } else {
                List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                out.add(new Entry(f[0], id, id, members.stream().map(String::trim).toList()));
            }
        }
        return out;
    }

    /** A file of the guest's tree as text, or null if it cannot be read. */
    private static String readFile(Mount root, String path) {
        try (Arena a = Arena.ofConfined()) {
            Location l = new PathWalker(root.rootLocation(), FsCredentials.ROOT).resolve(root.rootLocation(), ByteString.of(path), true);
            Inode i = l.inode();
            if (!i.isRegular() || i.size() > (16 << 20)) return null;
            MemorySegment buf = a.allocate(Math.max(1, i.size()));
            long done = 0;
            while (done < i.size()) {
                long n = i.read(done, buf.asSlice(done, i.size() - done));
                if (n <= 0) break;
                done += n;
            }
            return new String(buf.asSlice(0, done).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (LinuxException e) {
            return null;
        }
    }
}
