package dev.jux.fs.vfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The extended attributes kept in memory for one inode (Linux's simple_xattrs, which tmpfs
 * uses): full names ("user.x") to values. Names are kept as ISO-8859-1 strings so that any
 * byte survives. Listing is in name order, as Linux's rbtree of simple_xattrs is.
 */
public final class XattrStore {
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    private final TreeMap<String, byte[]> values = new TreeMap<>();

    public synchronized byte[] get(String name) {
        byte[] v = values.get(name);
        if (v == null) throw new LinuxException(Errno.ENODATA);
        return v.clone();
    }

    /** Sets {@code name}; XATTR_CREATE fails with EEXIST on an existing one, XATTR_REPLACE with ENODATA on a missing one. */
    public synchronized void set(String name, byte[] value, int flags) {
        boolean exists = values.containsKey(name);
        if ((flags & XATTR_CREATE) != 0 && exists) throw new LinuxException(Errno.EEXIST);
        if ((flags & XATTR_REPLACE) != 0 && !exists) throw new LinuxException(Errno.ENODATA);
        values.put(name, value.clone());
    }

    public synchronized void remove(String name) {
        if (values.remove(name) == null) throw new LinuxException(Errno.ENODATA);
    }

    public synchronized List<String> names() {
        return new ArrayList<>(values.keySet());
    }
}
