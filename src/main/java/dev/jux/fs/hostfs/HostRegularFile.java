package dev.jux.fs.hostfs;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.host.HostDirectory;
import dev.jux.host.HostException;
import dev.jux.host.HostFile;
import dev.jux.host.HostStat;
import dev.jux.host.LibcFiles;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;

/**
 * A host regular file. Data moves with pread/pwrite on a host fd opened by name on first use:
 * read-only for reads, read-write once something writes (the host checks its own permissions
 * for the user running Jux). The fd then stands for this file even if the host renames or
 * removes the name.
 */
final class HostRegularFile extends HostInode {
    private static final int EBADF = 9;
    private HostFile reader, writer;

    HostRegularFile(HostFs fs, HostStat st, HostDirectory parent, byte[] name) {
        super(fs, st, parent, name);
    }

    @Override
    HostStat fetch() {
        HostFile f;
        synchronized (this) {
            f = writer != null ? writer : reader;
        }
        if (f != null) {
            try {
                return f.stat();
            } catch (HostException e) {
                if (e.errno() != EBADF) throw HostFs.error(e);
            }
        }
        return super.fetch();
    }

    /** Takes {@code f}, just opened by name (create), as this file's fd. */
    synchronized void adopt(HostFile f, boolean write) {
        if (write) {
            if (writer != null) writer.close();
            writer = f;
        } else {
            if (reader != null) reader.close();
            reader = f;
        }
        fs.openFiles.used(this);
    }

    synchronized void closeHandles() {
        if (reader != null) reader.close();
        if (writer != null) writer.close();
        reader = writer = null;
    }

    @Override
    void forget() {
        fs.openFiles.dropped(this);
        closeHandles();
    }

    private HostFile handle(boolean write) {
        synchronized (this) {
            if (writer != null || (!write && reader != null)) {
                HostFile f = writer != null ? writer : reader;
                fs.openFiles.used(this);
                return f;
            }
        }
        if (write) fs.checkWritable();
        HostDirectory dir = parentDir();
        byte[] n = name();
        HostFile f = HostFs.call(() -> dir.openFile(n, write ? LibcFiles.O_RDWR : LibcFiles.O_RDONLY, 0));
        HostStat st;
        try {
            st = f.stat();
        } catch (HostException e) {
            f.close();
            throw HostFs.error(e);
        }
        if (st.ino() != ino() || st.dev() != hostStat().dev()) {
            f.close();
            throw new LinuxException(Errno.ESTALE, "the host file was replaced");
        }
        adopt(f, write);
        if (write) {
            synchronized (this) {
                if (reader != null) reader.close();
                reader = null;
            }
        }
        return f;
    }

    /** Runs {@code op} on a host fd; an fd closed meanwhile by the LRU is opened again once. */
    private long io(boolean write, Function<HostFile, Long> op) {
        for (int attempt = 0; ; attempt++) {
            HostFile f = handle(write);
            try {
                return op.apply(f);
            } catch (HostException e) {
                if (e.errno() == EBADF && attempt == 0) continue;
                throw HostFs.error(e);
            }
        }
    }

    @Override
    public long read(long pos, MemorySegment dst) {
        return io(false, f -> f.pread(dst, pos));
    }

    @Override
    public long write(long pos, MemorySegment src) {
        fs.checkWritable();
        long n = io(true, f -> f.pwrite(src, pos));
        refresh();
        return n;
    }

    @Override
    public void truncate(long length) {
        fs.checkWritable();
        io(true, f -> {
            f.truncate(length);
            return 0L;
        });
        refresh();
    }

    @Override
    public void allocate(long offset, long length, boolean keepSize) {
        fs.checkWritable();
        io(true, f -> {
            f.fallocate(keepSize ? LibcFiles.FALLOC_FL_KEEP_SIZE : 0, offset, length);
            return 0L;
        });
        refresh();
    }

    @Override
    public long seekData(long pos, boolean hole) {
        return io(false, f -> f.seek(pos, hole ? LibcFiles.SEEK_HOLE : LibcFiles.SEEK_DATA));
    }

    @Override
    public void setPermissions(int bits) {
        fs.checkWritable();
        HostFile f;
        synchronized (this) {
            f = writer != null ? writer : reader;
        }
        if (f == null) {
            super.setPermissions(bits);
            return;
        }
        // By fd when there is one: right even if the host renamed or removed the name.
        HostFs.run(() -> f.chmod(bits & 07777));
        refresh();
    }
}
