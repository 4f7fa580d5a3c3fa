package dev.jux.fs.hostfs;

import dev.jux.host.HostDirectory;
import dev.jux.host.HostStat;

/**
 * A host FIFO, socket or device node: its attributes only. Opening it is the VFS's business
 * (ENXIO until Jux has FIFOs and drivers); the host's node is never opened for the guest.
 */
final class HostSpecialFile extends HostInode {
    HostSpecialFile(HostFs fs, HostStat st, HostDirectory parent, byte[] name) {
        super(fs, st, parent, name);
        this.rdev = st.rdev();
    }
}
