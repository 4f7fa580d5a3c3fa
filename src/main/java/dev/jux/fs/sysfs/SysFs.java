package dev.jux.fs.sysfs;

import dev.jux.fs.procfs.ProcNodes.ProcDir;
import dev.jux.fs.procfs.ProcNodes.ProcFile;
import dev.jux.fs.procfs.ProcSource;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.StatFs;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * sysfs, mounted on /sys: the part glibc and common tools read, generated from the kernel
 * (bound like procfs, through {@link ProcSource}, by ProcFs.bindAll):
 *
 * <pre>
 *   devices/system/cpu/{online, possible, present}   "0-N" (N = cpuCount - 1), offline empty,
 *                      kernel_max, cpuK/{online (K > 0), topology/...}
 *   kernel/mm/transparent_hugepage/enabled         "always [madvise] never"
 *   fs/                                              empty (no cgroup file system)
 * </pre>
 *
 * Files are 0444 root:root, directories 0755, as Linux's; nothing is writable.
 */
public final class SysFs extends FileSystem implements ProcSource.Bound {
    /** SYSFS_MAGIC. */
    public static final long MAGIC = 0x62656572;

    private final ConcurrentHashMap<String, Inode> inodes = new ConcurrentHashMap<>();
    private final ProcDir root;
    private volatile ProcSource source;

    public SysFs() {
        root = new ProcDir(this, 0755, this::rootEntries);
    }

    @Override
    public void bind(ProcSource source) {
        this.source = source;
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public String type() {
        return "sysfs";
    }

    @Override
    public StatFs statfs() {
        return new StatFs(MAGIC, Inode.BLOCK_SIZE, 0, 0, 0, 0, 0, dev(), 255, Inode.BLOCK_SIZE, StatFs.ST_VALID);
    }

    /** The CPU directories follow the CPU count, so names are looked up again on each walk. */
    @Override
    public boolean revalidatesNames() {
        return true;
    }

    private int cpus() {
        ProcSource s = source;
        return s == null ? 1 : Math.max(1, s.cpuCount());
    }

    /** A CPU list as Linux prints it: "0", or a range "0-3". */
    static String cpuList(int cpus) {
        return cpus <= 1 ? "0" : "0-" + (cpus - 1);
    }

    private Supplier<Inode> file(String key, Supplier<String> text) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcFile(this, 0444, () -> text.get().getBytes(StandardCharsets.UTF_8)));
    }

    private Supplier<Inode> dir(String key, Supplier<LinkedHashMap<String, Supplier<Inode>>> entries) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcDir(this, 0755, entries));
    }

    private static LinkedHashMap<String, Supplier<Inode>> entries(Object... nameThenInode) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        for (int k = 0; k < nameThenInode.length; k += 2) {
            @SuppressWarnings("unchecked")
            Supplier<Inode> s = (Supplier<Inode>) nameThenInode[k + 1];
            e.put((String) nameThenInode[k], s);
        }
        return e;
    }

    private LinkedHashMap<String, Supplier<Inode>> rootEntries() {
        return entries(
                "devices", dir("devices", () -> entries(
                        "system", dir("devices/system", () -> entries(
                                "cpu", dir("devices/system/cpu", this::cpuEntries))))),
                "fs", dir("fs", LinkedHashMap::new),
                "kernel", dir("kernel", () -> entries(
                        "mm", dir("kernel/mm", () -> entries(
                                "transparent_hugepage", dir("kernel/mm/transparent_hugepage", () -> entries(
                                        "enabled", file("kernel/mm/transparent_hugepage/enabled", () -> "always [madvise] never\n"))))))));
    }

    private LinkedHashMap<String, Supplier<Inode>> cpuEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        String k = "devices/system/cpu/";
        int n = cpus();
        for (int c = 0; c < n; c++) {
            int cpu = c;
            e.put("cpu" + c, dir(k + "cpu" + c, () -> cpuDirectory(cpu)));
        }
        e.put("kernel_max", file(k + "kernel_max", () -> "8191\n"));
        e.put("offline", file(k + "offline", () -> "\n"));
        e.put("online", file(k + "online", () -> cpuList(cpus()) + "\n"));
        e.put("possible", file(k + "possible", () -> cpuList(cpus()) + "\n"));
        e.put("present", file(k + "present", () -> cpuList(cpus()) + "\n"));
        return e;
    }

    /** cpuN: "online" for every CPU but the boot CPU (as Linux, where cpu0 cannot go offline), and a flat topology (one package, one thread per core). */
    private LinkedHashMap<String, Supplier<Inode>> cpuDirectory(int cpu) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        String k = "devices/system/cpu/cpu" + cpu + "/";
        if (cpu > 0) e.put("online", file(k + "online", () -> "1\n"));
        e.put("topology", dir(k + "topology", () -> entries(
                "core_cpus_list", file(k + "topology/core_cpus_list", () -> cpu + "\n"),
                "core_id", file(k + "topology/core_id", () -> cpu + "\n"),
                "core_siblings_list", file(k + "topology/core_siblings_list", () -> cpuList(cpus()) + "\n"),
                "package_cpus_list", file(k + "topology/package_cpus_list", () -> cpuList(cpus()) + "\n"),
                "physical_package_id", file(k + "topology/physical_package_id", () -> "0\n"),
                "thread_siblings_list", file(k + "topology/thread_siblings_list", () -> cpu + "\n"))));
        return e;
    }
}
