package dev.jux.fs.hostfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import dev.jux.host.HostDirectory;
import dev.jux.host.HostStat;

/**
 * A host symlink, shown to the guest as a symlink: the guest's PathWalker follows its target in
 * the guest's namespace (an absolute target starts at the guest's root, never the host's).
 */
final class HostSymlink extends HostInode {
    HostSymlink(HostFs fs, HostStat st, HostDirectory parent, byte[] name) {
        super(fs, st, parent, name);
    }

    @Override
    public ByteString readlink() {
        checkName();
        return ByteString.copyOf(HostFs.call(() -> parentDir().readlink(name())));
    }

    /** A symlink's mode is always 0777 (fchmodat2 with AT_SYMLINK_NOFOLLOW says EOPNOTSUPP). */
    @Override
    public void setPermissions(int bits) {
        fs.checkWritable();
        throw new LinuxException(Errno.EOPNOTSUPP);
    }
}
