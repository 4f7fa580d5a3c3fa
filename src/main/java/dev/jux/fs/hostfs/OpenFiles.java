package dev.jux.fs.hostfs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The regular files of one HostFs that hold host fds, least recently used first. A regular
 * file opens its host fd on its first read or write and keeps it, so that a file the guest has
 * open keeps working after it was unlinked or renamed; the VFS does not tell a file system when
 * the last guest fd closes, so the number of host fds is bounded here instead: past
 * {@link #CAPACITY}, the least recently used file closes its fds and reopens by name when used
 * again (an unlinked one then fails with ESTALE).
 */
final class OpenFiles {
    static final int CAPACITY = 1024;

    private final LinkedHashMap<HostRegularFile, Boolean> lru = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HostRegularFile, Boolean> eldest) {
            if (size() <= CAPACITY) return false;
            eldest.getKey().closeHandles();
            return true;
        }
    };

    synchronized void used(HostRegularFile f) {
        lru.put(f, Boolean.TRUE);
    }

    synchronized void dropped(HostRegularFile f) {
        lru.remove(f);
    }
}
