package dev.jux.kernel;

import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.MappedPages;
import dev.jux.mm.FileBacking;
import dev.jux.mm.SharedPages;
import java.lang.foreign.MemorySegment;

/**
 * A VFS file as mm/ maps it: reads and write-back go to the inode itself (not through the
 * open file description, whose fd may be closed while the mapping lives, as on Linux), and
 * the inode is the identity that MAP_SHARED mappings share frames by. In kernel/ (which sees
 * both fs/ and mm/) so that mmap(2) and exec's segment mappings use the same adapter.
 */
public final class MappedFile implements FileBacking {
    private final Location location;
    private final Inode inode;
    private final Location root;

    /** {@code root}: the mapping process's root, for the path /proc/PID/maps shows. */
    public MappedFile(Location location, Location root) {
        this.location = location;
        this.inode = location.inode();
        this.root = root;
    }

    /** As read(2) sees the file: with the bytes shared mappings hold and have not written back. */
    @Override
    public long read(long offset, MemorySegment dst) {
        long n = inode.read(offset, dst);
        MappedPages shared = inode.mappedPages();
        if (shared != null && n > 0) shared.overlay(offset, dst, n);
        return n;
    }

    @Override
    public void write(long offset, MemorySegment src) {
        synchronized (inode) {        // as VfsFile.pwrite: one writer of the inode at a time
            inode.write(offset, src);
            inode.touchModified();
        }
    }

    /** Reads and writes through fds go through the shared pages while they exist (Linux's page cache coherence). */
    @Override
    public void attach(SharedPages pages) {
        inode.setMappedPages(new MappedPages() {
            @Override
            public void overlay(long pos, MemorySegment dst, long n) {
                pages.overlay(pos, dst, n);
            }

            @Override
            public void written(long pos, MemorySegment src) {
                pages.written(pos, src);
            }

            @Override
            public boolean writableMappings() {
                return pages.hasWriters();
            }
        });
    }

    @Override
    public void detach(SharedPages pages) {
        inode.setMappedPages(null);
    }

    @Override
    public long size() {
        return inode.size();
    }

    @Override
    public Object identity() {
        return inode;
    }

    @Override
    public long device() {
        return inode.stat().dev();
    }

    @Override
    public long inode() {
        return inode.ino();
    }

    /** Linux's d_path: the path from the process root, " (deleted)" once the file is removed. */
    @Override
    public String path() {
        try {
            return Attributes.pathOf(location, root).toString();
        } catch (LinuxException e) {
            return "/" + location.dentry().name() + " (deleted)";
        }
    }
}
