package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Namespace;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.Permissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The names of one Jux instance's unix sockets (Linux's unix_socket_table for one network
 * namespace): the abstract namespace (one per socket type, as Linux's hash includes it; a
 * name of another type is simply not found: ECONNREFUSED), and which socket is bound to which socket inode. A
 * path name is an S_IFSOCK inode made by bind in the guest's VFS (tmpfs, overlay or hostfs);
 * connect walks to the inode and finds the socket bound to it here, so a host socket file
 * seen through hostfs, which no guest socket is bound to, is ECONNREFUSED: the guest never
 * reaches a host socket. Unlinking the file removes the name, never the socket.
 * Everything is guarded by {@link UnixSocket#LOCK}.
 */
public final class UnixNames {
    record InodeKey(FileSystem fs, long ino) {}

    /** Abstract names by (type, name): Linux hashes the type in, so each type has its own namespace. */
    private record AbstractKey(int type, ByteString name) {}

    private final Map<AbstractKey, UnixSocket> abstractNames = new HashMap<>();
    private final Map<InodeKey, UnixSocket> inodes = new HashMap<>();
    private int nextAutobind;

    private static InodeKey key(Inode inode) {
        return new InodeKey(inode.fileSystem(), inode.ino());
    }

    /** The socket of {@code type} that address names (unix_find_other): ENOENT, EACCES, ECONNREFUSED or EPROTOTYPE. */
    public UnixSocket find(UnixAddress address, PathWalker walker, Location start, int type) {
        UnixSocket s;
        if (address.isAbstract()) {
            synchronized (UnixSocket.LOCK) {
                s = abstractNames.get(new AbstractKey(type, address.abstractKey()));
            }
        } else {
            Inode inode = walker.resolve(start, address.path(), true).inode();
            Permissions.check(inode, walker.credentials(), Permissions.MAY_WRITE);
            if (FileMode.type(inode.mode()) != FileMode.S_IFSOCK) throw new LinuxException(Errno.ECONNREFUSED);
            synchronized (UnixSocket.LOCK) {
                s = inodes.get(key(inode));
            }
        }
        if (s == null) throw new LinuxException(Errno.ECONNREFUSED);
        if (s.type != type) throw new LinuxException(Errno.EPROTOTYPE);
        return s;
    }

    /** unix_bind_bsd: makes the socket inode (EADDRINUSE if the name exists), then binds. */
    void bindPath(UnixSocket s, PathWalker walker, Location start, ByteString path, int mode) {
        try {
            Namespace.mknod(walker, start, path, FileMode.S_IFSOCK | (mode & 0777), 0);
        } catch (LinuxException e) {
            throw e.errno() == Errno.EEXIST ? new LinuxException(Errno.EADDRINUSE) : e;
        }
        Inode inode = walker.resolve(start, path, false).inode();
        synchronized (UnixSocket.LOCK) {
            if (s.address == null) {
                s.address = UnixAddress.parse(sockaddrOf(path));
                s.boundInode = key(inode);
                inodes.put(key(inode), s);
                return;
            }
        }
        // Already bound: Linux removes the node it just made and fails.
        Namespace.unlink(walker, start, path);
        throw new LinuxException(Errno.EINVAL);
    }

    private static byte[] sockaddrOf(ByteString path) {
        byte[] p = path.toByteArray();
        byte[] raw = new byte[UnixAddress.PATH_OFFSET + p.length];
        raw[0] = UnixAddress.AF_UNIX;
        System.arraycopy(p, 0, raw, UnixAddress.PATH_OFFSET, p.length);
        return raw;
    }

    /** unix_bind_abstract: EINVAL if bound, EADDRINUSE if the name is taken. */
    void bindAbstract(UnixSocket s, UnixAddress address) {
        synchronized (UnixSocket.LOCK) {
            if (s.address != null) throw new LinuxException(Errno.EINVAL);
            AbstractKey k = new AbstractKey(s.type, address.abstractKey());
            if (abstractNames.containsKey(k)) throw new LinuxException(Errno.EADDRINUSE);
            s.address = address;
            abstractNames.put(k, s);
        }
    }

    /** unix_autobind: an abstract name of five hex digits; nothing if already bound. */
    void autobind(UnixSocket s) {
        synchronized (UnixSocket.LOCK) {
            if (s.address != null) return;
            for (int tries = 0; tries <= 0xfffff; tries++) {
                int n = nextAutobind;
                nextAutobind = (nextAutobind + 1) & 0xfffff;
                byte[] name = ("\0" + String.format("%05x", n)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                UnixAddress a = UnixAddress.abstractName(name);
                AbstractKey k = new AbstractKey(s.type, a.abstractKey());
                if (!abstractNames.containsKey(k)) {
                    s.address = a;
                    abstractNames.put(k, s);
                    return;
                }
            }
            throw new LinuxException(Errno.ENOSPC);
        }
    }

    /** A socket is released: its name goes (the file of a path name stays). Under the lock. */
    void forget(UnixSocket s) {
        if (s.address == null) return;
        if (s.address.isAbstract()) abstractNames.remove(new AbstractKey(s.type, s.address.abstractKey()), s);
        else if (s.boundInode != null) inodes.remove(s.boundInode, s);
    }
}
