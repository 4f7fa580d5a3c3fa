package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;

/**
 * One path resolution, as path_resolution(7) describes it and Linux's namei.c does it. The
 * walker holds what is fixed for one system call: the process's root, the caller's
 * credentials, the symlink count (40 links per resolution, then ELOOP) and the openat2
 * RESOLVE_* restrictions.
 *
 * <p>Every directory walked through must be a directory (ENOTDIR) that the caller may search
 * (EACCES), including the one that holds the last component. Symlinks in the middle are always
 * followed; the last one only when asked, or when a trailing slash demands a directory.
 * ".." at the process root stays there; ".." at the root of a mount continues in the mount
 * below.
 */
public final class PathWalker {
    public static final int MAXSYMLINKS = 40;
    public static final int NAME_MAX = 255;
    public static final int PATH_MAX = 4096;

    /** What the last component of a path is (Linux's LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT). */
    public enum LastType { NORMAL, ROOT, DOT, DOTDOT }

    /** A path walked up to its last component: the directory, the name and whether a slash followed it. */
    public record Parent(Location dir, ByteString last, LastType type, boolean trailingSlash) {}

    private final Location root;
    private final FsCredentials creds;
    private boolean noSymlinks, noXdev, beneath, noMagicLinks, scoped;
    private int links;

    public PathWalker(Location root, FsCredentials creds) {
        this.root = root;
        this.creds = creds;
    }

    /**
     * openat2's RESOLVE_BENEATH (escaping {@code start} fails with EXDEV) and RESOLVE_IN_ROOT
     * ({@code start} acts as the root).
     */
    public static PathWalker scoped(Location start, FsCredentials creds, boolean beneathOnly) {
        PathWalker w = new PathWalker(start, creds);
        w.beneath = beneathOnly;
        w.scoped = true;
        return w;
    }

    /** RESOLVE_NO_SYMLINKS: any symlink fails with ELOOP. */
    public PathWalker noSymlinks() {
        noSymlinks = true;
        return this;
    }

    /** RESOLVE_NO_MAGICLINKS: a magic link (/proc/PID/fd/N) fails with ELOOP; plain symlinks are followed. */
    public PathWalker noMagicLinks() {
        noMagicLinks = true;
        return this;
    }

    /** RESOLVE_NO_XDEV: crossing a mount point fails with EXDEV. */
    public PathWalker noXdev() {
        noXdev = true;
        return this;
    }

    public FsCredentials credentials() {
        return creds;
    }

    public Location root() {
        return root;
    }

    /** Resolves the whole of {@code path}; ENOENT if it does not exist. */
    public Location resolve(Location start, ByteString path, boolean followLast) {
        return finish(walkParent(start, path), followLast);
    }

    /** Walks every component but the last; the caller looks the last one up or creates it. */
    public Parent walkParent(Location start, ByteString path) {
        int n = path.length();
        if (n == 0) throw new LinuxException(Errno.ENOENT);
        Location cur = start;
        int i = 0;
        if (path.byteAt(0) == '/') {
            if (beneath) throw new LinuxException(Errno.EXDEV);
            cur = root;
            while (i < n && path.byteAt(i) == '/') i++;
            if (i == n) return new Parent(cur, ByteString.EMPTY, LastType.ROOT, false);
        }
        while (true) {
            mayLookup(cur);
            int s = i;
            while (i < n && path.byteAt(i) != '/') i++;
            ByteString comp = sub(path, s, i);
            int j = i;
            while (j < n && path.byteAt(j) == '/') j++;
            if (j == n) return new Parent(cur, comp, typeOf(comp), j > i);
            cur = step(cur, comp);
            i = j;
        }
    }

    /**
     * Resolves the last component of {@code p}, following a final symlink when asked (or when a
     * trailing slash requires a directory); ENOENT if it does not exist, ENOTDIR if a trailing
     * slash follows a non-directory.
     */
    public Location finish(Parent p, boolean followLast) {
        Location found = lookupLast(p, followLast);
        if (found == null) throw new LinuxException(Errno.ENOENT);
        return found;
    }

    /** As {@link #finish} but returns null when the last name does not exist; {@code lastParent[0]} gets the final Parent. */
    public Location lookupLast(Parent p, boolean followLast, Parent[] lastParent) {
        while (true) {
            if (lastParent != null) lastParent[0] = p;
            Location cur;
            switch (p.type()) {
                case ROOT, DOT -> cur = p.dir();
                case DOTDOT -> cur = dotdot(p.dir());
                default -> {
                    cur = child(p.dir(), p.last());
                    if (cur == null) return null;
                    if (cur.inode().isSymlink() && (followLast || p.trailingSlash())) {
                        if (cur.inode() instanceof MagicLink m) {
                            cur = jump(cur, m);
                            break;
                        }
                        Parent next = walkParent(p.dir(), linkTarget(cur));
                        p = new Parent(next.dir(), next.last(), next.type(), next.trailingSlash() || p.trailingSlash());
                        continue;
                    }
                }
            }
            if (p.trailingSlash() && !cur.inode().isDirectory()) throw new LinuxException(Errno.ENOTDIR);
            return cur;
        }
    }

    public Location lookupLast(Parent p, boolean followLast) {
        return lookupLast(p, followLast, null);
    }

    /** Counts one symlink and returns its target; ELOOP past 40, ENOENT for an empty target. */
    public ByteString linkTarget(Location link) {
        if (noSymlinks) throw new LinuxException(Errno.ELOOP);
        if (++links > MAXSYMLINKS) throw new LinuxException(Errno.ELOOP);
        ByteString target = link.inode().readlink();
        link.inode().touchAccessed();
        if (target.isEmpty()) throw new LinuxException(Errno.ENOENT);
        return target;
    }

    /**
     * Follows a magic link: counts as a symlink (ELOOP past 40, under RESOLVE_NO_SYMLINKS and
     * RESOLVE_NO_MAGICLINKS), then continues from the place it leads to, whatever its name
     * says; a scoped walk (RESOLVE_BENEATH, RESOLVE_IN_ROOT) cannot jump out (EXDEV), as
     * Linux's nd_jump_link.
     */
    private Location jump(Location link, MagicLink m) {
        if (noSymlinks || noMagicLinks) throw new LinuxException(Errno.ELOOP);
        if (++links > MAXSYMLINKS) throw new LinuxException(Errno.ELOOP);
        if (scoped) throw new LinuxException(Errno.EXDEV);
        Location to = m.jump(link);
        if (noXdev && to.mount() != link.mount()) throw new LinuxException(Errno.EXDEV);
        return to;
    }

    /** A component in the middle of a path: ".", "..", or a name, following symlinks. */
    private Location step(Location cur, ByteString comp) {
        return switch (typeOf(comp)) {
            case DOT -> cur;
            case DOTDOT -> dotdot(cur);
            default -> {
                Location next = child(cur, comp);
                if (next == null) throw new LinuxException(Errno.ENOENT);
                if (next.inode() instanceof MagicLink m) next = jump(next, m);
                else if (next.inode().isSymlink()) next = resolve(cur, linkTarget(next), true);
                yield next;
            }
        };
    }

    /** The directory must be one, and searchable (Linux's may_lookup). */
    private void mayLookup(Location dir) {
        Inode inode = dir.inode();
        if (!inode.isDirectory()) throw new LinuxException(Errno.ENOTDIR);
        if (!Permissions.allowed(inode, creds, Permissions.MAY_EXEC)) throw new LinuxException(Errno.EACCES);
    }

    /** Looks {@code name} up in {@code dir} and crosses into whatever is mounted on it; null if absent. */
    public Location child(Location dir, ByteString name) {
        if (name.length() > NAME_MAX) throw new LinuxException(Errno.ENAMETOOLONG);
        Dentry d = dir.dentry().child(name);
        if (d == null) return null;
        return crossMounts(new Location(dir.mount(), d));
    }

    /** Follows mounts stacked on {@code l} down to the topmost one's root. */
    public Location crossMounts(Location l) {
        Mount m;
        while ((m = l.mount().mountedAt(l.dentry())) != null) {
            if (noXdev) throw new LinuxException(Errno.EXDEV);
            l = m.rootLocation();
        }
        return l;
    }

    /** ".." from {@code cur}: stays at the process root, leaves a mount from its root (Linux's follow_dotdot). */
    private Location dotdot(Location cur) {
        while (true) {
            if (cur.equals(root)) {
                if (beneath) throw new LinuxException(Errno.EXDEV);
                return cur;
            }
            if (cur.dentry() != cur.mount().root()) break;
            Mount parent = cur.mount().parent();
            if (parent == null) return cur;
            if (noXdev) throw new LinuxException(Errno.EXDEV);
            cur = new Location(parent, cur.mount().mountpoint());
        }
        return new Location(cur.mount(), cur.dentry().parent());
    }

    private static LastType typeOf(ByteString comp) {
        if (comp.equals(ByteString.DOT)) return LastType.DOT;
        if (comp.equals(ByteString.DOTDOT)) return LastType.DOTDOT;
        return LastType.NORMAL;
    }

    private static ByteString sub(ByteString s, int from, int to) {
        byte[] b = new byte[to - from];
        for (int k = from; k < to; k++) b[k - from] = s.byteAt(k);
        return ByteString.copyOf(b);
    }
}
