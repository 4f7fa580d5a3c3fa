package dev.jux.fs.procfs;

import static dev.jux.abi.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.FdTable;
import dev.jux.fs.RootTree;
import dev.jux.fs.Stat;
import dev.jux.fs.pipe.PipeEnd;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.Namespace;
import dev.jux.fs.vfs.Opener;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.VfsFile;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devfs and procfs on RootTree.create(), with a fake kernel behind procfs. */
class ProcDevFsTest {
    private Mount mount;
    private Location root;
    private PathWalker w;
    private final FdTable files = new FdTable();

    private final class FakeProcess implements ProcessView {
        public int pid() { return 7; }
        public int parentPid() { return 1; }
        public int[] uids() { return new int[] {0, 0, 0, 0}; }
        public int[] gids() { return new int[] {0, 0, 0, 0}; }
        public byte[] commandLine() { return "prog\0a b\0".getBytes(StandardCharsets.UTF_8); }
        public byte[] environment() { return "K=V\0".getBytes(StandardCharsets.UTF_8); }
        public String executablePath() { return "/usr/bin/a-very-long-program-name"; }
        public String comm() { return "a-very-long-pro"; }
        public Location cwd() { return w.resolve(root, ByteString.of("/tmp"), true); }
        public Location root() { return root; }
        public int umask() { return 022; }
        public List<Mapping> mappings() {
            return List.of(new Mapping(0x400000, 0x401000, 5, false, 0, "/usr/bin/prog"),
                    new Mapping(0x402000, 0x404000, 3, false, 0, "[heap]"),
                    new Mapping(0x7ffffffde000L, 0x7ffffffff000L, 3, false, 0, "[stack]"),
                    new Mapping(0x7ffff7ff0000L, 0x7ffff7ff1000L, 1, true, 0, ""));
        }
        public long residentPages() { return 3; }
        public FdTable files() { return files; }
        public int threads() { return 1; }
    }

    private final ProcessView process = new FakeProcess();

    private final ProcSource source = new ProcSource() {
        public ProcessView current() { return process; }
        public ProcessView find(int pid) { return pid == 7 ? process : null; }
        public List<Integer> pids() { return List.of(7); }
        public int lastPid() { return 7; }
        public long memoryTotalBytes() { return 1L << 30; }
        public long memoryFreeBytes() { return 1L << 29; }
        public long uptimeNanos() { return 12_345_000_000L; }
        public String hostname() { return "box"; }
        public String osRelease() { return "6.12.0-jux"; }
        public String version() { return "#1 SMP"; }
        public int cpuCount() { return cpus; }
    };
    private int cpus = 3;

    @BeforeEach
    void setUp() {
        mount = RootTree.create();
        root = mount.rootLocation();
        w = new PathWalker(root, FsCredentials.ROOT);
        ProcFs.bindAll(mount, source);
    }

    private VfsFile open(String path, int flags) {
        return (VfsFile) Opener.open(w, root, ByteString.of(path), flags, 0);
    }

    private String read(String path) {
        VfsFile f = open(path, O_RDONLY);
        byte[] b = new byte[65536];
        int total = 0;
        long n;
        while ((n = f.read(null, MemorySegment.ofArray(b).asSlice(total))) > 0) total += (int) n;
        return new String(b, 0, total, StandardCharsets.ISO_8859_1);
    }

    private String readlink(String path) {
        return w.resolve(root, ByteString.of(path), false).inode().readlink().toString();
    }

    private Stat stat(String path) {
        return w.resolve(root, ByteString.of(path), false).inode().stat();
    }

    @Test
    void devicesHaveLinuxModesAndNumbers() {
        String[] names = {"null", "zero", "full", "random", "urandom", "tty"};
        long[][] numbers = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};
        for (int k = 0; k < names.length; k++) {
            Stat s = stat("/dev/" + names[k]);
            assertEquals(FileMode.S_IFCHR | 0666, s.mode(), names[k]);
            assertEquals(DeviceNumber.makedev(numbers[k][0], numbers[k][1]), s.rdev(), names[k]);
        }
        assertEquals("/proc/self/fd", readlink("/dev/fd"));
        assertEquals("/proc/self/fd/2", readlink("/dev/stderr"));
        assertEquals(FileMode.S_IFDIR | 01777, stat("/dev/shm").mode());
        assertNotSame(mount, w.resolve(root, ByteString.of("/dev/shm"), true).mount());
    }

    @Test
    void devicesReadAndWriteAsLinux() {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) 1);
        VfsFile nul = open("/dev/null", O_RDWR);
        assertEquals(0, nul.read(null, MemorySegment.ofArray(b)));
        assertEquals(32, nul.write(null, MemorySegment.ofArray(b)));
        VfsFile zero = open("/dev/zero", O_RDONLY);
        assertEquals(32, zero.read(null, MemorySegment.ofArray(b)));
        for (byte x : b) assertEquals(0, x);
        VfsFile full = open("/dev/full", O_WRONLY);
        LinuxException e = assertThrows(LinuxException.class, () -> full.write(null, MemorySegment.ofArray(b)));
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals(32, open("/dev/urandom", O_RDONLY).read(null, MemorySegment.ofArray(b)));
        // Which terminal /dev/tty is depends on the opener: the open syscall swaps the file (kernel/Terminals).
        assertInstanceOf(dev.jux.fs.devfs.CharDevices.TerminalDevice.class, open("/dev/tty", O_RDWR).device());
    }

    @Test
    void mknodElsewhereOpensTheSameDevice() {
        Namespace.mknod(w, root, ByteString.of("/tmp/mynull"), FileMode.S_IFCHR | 0600, DeviceNumber.makedev(1, 3));
        assertEquals(5, open("/tmp/mynull", O_WRONLY).write(null, MemorySegment.ofArray(new byte[5])));
        Namespace.mknod(w, root, ByteString.of("/tmp/unknown"), FileMode.S_IFCHR | 0600, DeviceNumber.makedev(42, 0));
        assertEquals(Errno.ENXIO, assertThrows(LinuxException.class, () -> open("/tmp/unknown", O_RDONLY)).errno());
    }

    @Test
    void processFiles() {
        assertEquals("7", readlink("/proc/self"));
        assertEquals("/usr/bin/a-very-long-program-name", readlink("/proc/self/exe"));
        assertEquals("/tmp", readlink("/proc/7/cwd"));
        assertEquals("/", readlink("/proc/7/root"));
        assertEquals("prog\0a b\0", read("/proc/self/cmdline"));
        assertEquals("K=V\0", read("/proc/self/environ"));
        assertEquals("a-very-long-pro\n", read("/proc/self/comm"));
        assertTrue(read("/proc/self/status").contains("PPid:\t1\n"));
        assertTrue(read("/proc/self/status").contains("VmRSS:\t      12 kB\n"));
        assertTrue(read("/proc/7/stat").startsWith("7 (a-very-long-pro) R 1 "));
        assertEquals(52, read("/proc/7/stat").trim().split(" ").length);
        String maps = read("/proc/self/maps");
        assertTrue(maps.startsWith("00400000-00401000 r-xp 00000000 00:00 0"), maps);
        assertTrue(maps.contains("00402000-00404000 rw-p 00000000 00:00 0" + " ".repeat(73 - 39) + "[heap]\n"), maps);
        assertTrue(maps.contains("7ffff7ff0000-7ffff7ff1000 r--s 00000000 00:00 0 \n"), maps);
        assertNull(w.child(w.resolve(root, ByteString.of("/proc"), true), ByteString.of("8")));
    }

    @Test
    void fdLinks() {
        files.install(open("/tmp", O_RDONLY | O_DIRECTORY), 0, false, 1024);
        PipeEnd[] pipe = PipeEnd.create(0, 0, 0);
        files.install(pipe[0], 0, false, 1024);
        files.install(open("/dev/null", O_WRONLY), 0, false, 1024);
        assertEquals("/tmp", readlink("/proc/self/fd/0"));
        assertTrue(readlink("/proc/self/fd/1").matches("pipe:\\[\\d+\\]"));
        assertEquals("/dev/null", readlink("/proc/self/fd/2"));
        assertEquals(FileMode.S_IFLNK | 0300, stat("/proc/self/fd/2").mode());
        assertEquals(FileMode.S_IFLNK | 0500, stat("/proc/self/fd/0").mode());
        java.util.List<String> names = new java.util.ArrayList<>();
        open("/proc/self/fd", O_RDONLY | O_DIRECTORY).readdir((name, ino, type, next) -> names.add(name.toString()));
        assertEquals(List.of(".", "..", "0", "1", "2"), names);
    }

    @Test
    void systemFiles() {
        assertTrue(read("/proc/meminfo").startsWith("MemTotal:        1048576 kB\nMemFree:          524288 kB\n"));
        assertEquals("12.34 37.03\n", read("/proc/uptime"));   // three CPUs, nothing ran: all idle
        assertEquals("0.00 0.00 0.00 1/1 7\n", read("/proc/loadavg"));
        assertEquals("Linux\n", read("/proc/sys/kernel/ostype"));
        assertEquals("box\n", read("/proc/sys/kernel/hostname"));
        assertEquals("4194304\n", read("/proc/sys/kernel/pid_max"));
        assertTrue(read("/proc/version").startsWith("Linux version 6.12.0-jux "));
        assertTrue(read("/proc/filesystems").contains("nodev\tproc\n"));
        assertTrue(read("/proc/cpuinfo").contains("processor\t: 0\n"));
        assertTrue(read("/proc/cpuinfo").contains("processor\t: 2\n"));
        assertFalse(read("/proc/cpuinfo").contains("processor\t: 3\n"));
        String mounts = read("/proc/mounts");
        assertEquals("tmpfs / tmpfs rw 0 0\ndevtmpfs /dev devtmpfs rw 0 0\ntmpfs /dev/shm tmpfs rw 0 0\ndevpts /dev/pts devpts rw 0 0\n"
                + "proc /proc proc rw 0 0\nsysfs /sys sysfs rw 0 0\n", mounts);
        String info = read("/proc/self/mountinfo");
        // The root mount names itself as parent; the others name the root.
        String rootId = info.substring(0, info.indexOf(' '));
        assertTrue(info.startsWith(rootId + " " + rootId + " 0:"), info);
        assertTrue(info.contains("\n") && info.split("\n")[1].split(" ")[1].equals(rootId), info);
        java.util.List<String> names = new java.util.ArrayList<>();
        open("/proc", O_RDONLY | O_DIRECTORY).readdir((name, ino, type, next) -> names.add(name.toString()));
        // The named entries first, then the pids (proc_root_readdir, then proc_pid_readdir).
        assertEquals(List.of(".", "..", "self", "thread-self", "cpuinfo", "meminfo", "stat", "uptime", "loadavg", "version", "filesystems", "mounts", "net", "sys",
                "sysvipc", "7"), names);
    }

    @Test
    void sysfsShowsTheKernelsCpuCount() {
        assertEquals("0-2\n", read("/sys/devices/system/cpu/online"));
        assertEquals("0-2\n", read("/sys/devices/system/cpu/possible"));
        assertEquals("0-2\n", read("/sys/devices/system/cpu/present"));
        assertEquals("1\n", read("/sys/devices/system/cpu/cpu2/online"));
        assertEquals("always [madvise] never\n", read("/sys/kernel/mm/transparent_hugepage/enabled"));
        java.util.List<String> names = new java.util.ArrayList<>();
        open("/sys/devices/system/cpu", O_RDONLY | O_DIRECTORY).readdir((name, ino, type, next) -> names.add(name.toString()));
        assertEquals(List.of(".", "..", "cpu0", "cpu1", "cpu2", "kernel_max", "offline", "online", "possible", "present"), names);
        cpus = 1;   // one place decides: a changed count shows at once
        assertEquals("0\n", read("/sys/devices/system/cpu/online"));
        assertEquals(null, w.child(w.resolve(root, ByteString.of("/sys/devices/system/cpu"), true), ByteString.of("cpu1")));
        assertTrue(read("/proc/self/status").contains("Cpus_allowed_list:\t0\n"));
    }

    @Test
    void procSysKernelHostnameIsWritable() {
        String[] set = {null};
        ProcFs.bindAll(mount, new ProcSource() {
            public ProcessView current() { return process; }
            public ProcessView find(int pid) { return pid == 7 ? process : null; }
            public List<Integer> pids() { return List.of(7); }
            public int lastPid() { return 7; }
            public long memoryTotalBytes() { return 1L << 30; }
            public long memoryFreeBytes() { return 1L << 29; }
            public long uptimeNanos() { return 1; }
            public String hostname() { return set[0] == null ? "box" : set[0]; }
            public void setHostname(byte[] name) { set[0] = new String(name, StandardCharsets.ISO_8859_1); }
            public String osRelease() { return "6.12.0-jux"; }
            public String version() { return "#1 SMP"; }
        });
        VfsFile f = open("/proc/sys/kernel/hostname", O_WRONLY | O_TRUNC);
        f.write(null, MemorySegment.ofArray("newname\nrest".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("newname\n", read("/proc/sys/kernel/hostname"));
        VfsFile up = open("/proc/uptime", O_WRONLY);
        assertEquals(dev.jux.abi.Errno.EIO, org.junit.jupiter.api.Assertions.assertThrows(dev.jux.abi.LinuxException.class,
                () -> up.write(null, MemorySegment.ofArray(new byte[1]))).errno());
    }
}
