package dev.jux.fs.procfs;

import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.DirSink;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.MagicLink;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The three kinds of procfs inode: generated files, generated symlinks, generated directories.
 * sysfs builds its tree from the same nodes.
 */
public final class ProcNodes {
    private ProcNodes() {}

    /**
     * A procfs inode whose owner may follow a process (Linux's task_dump_owner): set once by
     * {@link ProcFs}, asked at every stat and permission check.
     */
    public abstract static class ProcInode extends Inode {
        private volatile java.util.function.IntFunction<int[]> owner;

        ProcInode(dev.jux.fs.vfs.FileSystem fs, int mode) {
            super(fs, fs.allocateIno(), mode, 0, 0);
        }

        /** {@code owner} maps the inode's mode to (uid, gid). */
        void setOwner(java.util.function.IntFunction<int[]> owner) {
            this.owner = owner;
        }

        @Override
        public int uid() {
            var o = owner;
            return o == null ? 0 : o.apply(mode())[0];
        }

        @Override
        public int gid() {
            var o = owner;
            return o == null ? 0 : o.apply(mode())[1];
        }
    }

    /**
     * A file whose bytes are generated at each read (st_size 0, as on Linux). With a writer,
     * each write(2) hands the written bytes to it (sysctl and comm semantics: the write replaces
     * the value) and O_TRUNC is accepted; without one, write fails with EIO as Linux's files
     * without a write method do (the mode bits stop all but root before that).
     */
    public static final class ProcFile extends ProcInode {
        private final Supplier<byte[]> content;
        private final java.util.function.Consumer<byte[]> writer;

        public ProcFile(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<byte[]> content) {
            this(fs, mode, content, null);
        }

        public ProcFile(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<byte[]> content, java.util.function.Consumer<byte[]> writer) {
            super(fs, FileMode.S_IFREG | mode);
            this.content = content;
            this.writer = writer;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public long read(long pos, MemorySegment dst) {
            byte[] b = content.get();
            if (pos >= b.length) return 0;
            int n = (int) Math.min(dst.byteSize(), b.length - pos);
            MemorySegment.copy(MemorySegment.ofArray(b), pos, dst, 0, n);
            return n;
        }

        @Override
        public long write(long pos, MemorySegment src) {
            if (writer == null) throw new LinuxException(Errno.EIO);
            writer.accept(src.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            return src.byteSize();
        }

        /** O_TRUNC on a proc file does nothing (Linux's proc_setattr accepts a size change and ignores it). */
        @Override
        public void truncate(long length) {}

        @Override
        public long seekData(long pos, boolean hole) {
            throw new LinuxException(Errno.EINVAL);
        }
    }

    /** A symlink whose target is computed when read; ENOENT when there is none (a gone process). */
    static class ProcLink extends ProcInode {
        private final Supplier<String> target;

        ProcLink(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<String> target) {
            super(fs, FileMode.S_IFLNK | mode);
            this.target = target;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public ByteString readlink() {
            String t = target.get();
            if (t == null) throw new LinuxException(Errno.ENOENT);
            return ByteString.copyOf(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * A magic link (/proc/PID/fd/N, cwd, root): readlink shows a name, following it reaches the
     * place {@code place} gives for the link's own location (null: gone, ENOENT).
     */
    static final class ProcMagicLink extends ProcLink implements MagicLink {
        private final Function<Location, Location> place;

        ProcMagicLink(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<String> name, Function<Location, Location> place) {
            super(fs, mode, name);
            this.place = place;
        }

        @Override
        public Location jump(Location link) {
            Location to = place.apply(link);
            if (to == null) throw new LinuxException(Errno.ENOENT);
            return to;
        }
    }

    /** A directory whose entries (name -> inode, in listing order) are computed at each lookup and readdir. */
    public static final class ProcDir extends ProcInode {
        private final Supplier<LinkedHashMap<String, Supplier<Inode>>> entries;

        private volatile java.util.function.Predicate<FsCredentials> grant;

        /** Names found by lookup but not listed (/proc/TID of a thread that does not lead its process). */
        private final java.util.function.Function<String, Supplier<Inode>> unlisted;

        public ProcDir(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<LinkedHashMap<String, Supplier<Inode>>> entries) {
            this(fs, mode, entries, name -> null);
        }

        public ProcDir(dev.jux.fs.vfs.FileSystem fs, int mode, Supplier<LinkedHashMap<String, Supplier<Inode>>> entries,
                       java.util.function.Function<String, Supplier<Inode>> unlisted) {
            super(fs, FileMode.S_IFDIR | mode);
            this.entries = entries;
            this.unlisted = unlisted;
        }

        /** Lets in whoever {@code grant} accepts even when the mode bits do not (see {@link #grantsAccess}). */
        void setGrant(java.util.function.Predicate<FsCredentials> grant) {
            this.grant = grant;
        }

        @Override
        public boolean grantsAccess(FsCredentials c, int mask) {
            var g = grant;
            return g != null && g.test(c);
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public Inode lookup(ByteString name) {
            Supplier<Inode> s = entries.get().get(name.toString());
            if (s == null) s = unlisted.apply(name.toString());
            return s == null ? null : s.get();
        }

        @Override
        public boolean isEmptyDirectory() {
            return entries.get().isEmpty();
        }

        /** Where numbered entries (pids, tids, fds) start among the directory offsets; named ones come before. */
        static final long FIRST_NUMBERED = 1024;

        /**
         * Named entries first, at their index; then numbered ones (pids, tids, fds) in ascending
         * order at FIRST_NUMBERED + their number, as Linux's proc_pid_readdir (TGID_OFFSET + tgid)
         * and proc_readfd_common (fd + 2) place them: a reader that closes fds or reaps
         * processes between two getdents calls still sees every entry it has not been given
         * (python's subprocess closes fds while it lists /proc/self/fd).
         */
        @Override
        public long readdir(long pos, long parentIno, DirSink sink) {
            pos = DirSink.dotEntries(pos, ino(), parentIno, sink);
            if (pos < 2) return pos;
            java.util.TreeMap<Long, Map.Entry<String, Supplier<Inode>>> numbered = new java.util.TreeMap<>();
            int k = 0;
            for (Map.Entry<String, Supplier<Inode>> e : entries.get().entrySet()) {
                long number = number(e.getKey());
                if (number >= 0) {
                    numbered.put(FIRST_NUMBERED + number, e);
                    continue;
                }
                long here = 2 + k++;
                if (here < pos) continue;
                if (!emit(e, here, sink)) return here;
                pos = here + 1;
            }
            for (Map.Entry<Long, Map.Entry<String, Supplier<Inode>>> n : numbered.tailMap(pos, true).entrySet()) {
                long here = n.getKey();
                if (!emit(n.getValue(), here, sink)) return here;
                pos = here + 1;
            }
            return pos;
        }

        private static boolean emit(Map.Entry<String, Supplier<Inode>> e, long here, DirSink sink) {
            Inode i = e.getValue().get();
            if (i == null) return true;
            return sink.accept(ByteString.of(e.getKey()), i.ino(), DirSink.typeOf(i.mode()), here + 1);
        }

        /** The number a name of decimal digits stands for (no leading zeros), else -1. */
        private static long number(String name) {
            if (name.isEmpty() || name.length() > 10 || (name.length() > 1 && name.charAt(0) == '0')) return -1;
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) < '0' || name.charAt(i) > '9') return -1;
            }
            return Long.parseLong(name);
        }
    }
}
