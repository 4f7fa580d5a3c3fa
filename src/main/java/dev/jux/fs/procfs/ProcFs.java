package dev.jux.fs.procfs;

import dev.jux.abi.FileMode;
import dev.jux.fs.procfs.ProcNodes.ProcDir;
import dev.jux.fs.procfs.ProcNodes.ProcFile;
import dev.jux.fs.procfs.ProcNodes.ProcLink;
import dev.jux.fs.notify.InotifyUsers;
import dev.jux.fs.vfs.FileSystem;
import dev.jux.fs.vfs.Inode;
import dev.jux.ipc.MessageQueues;
import dev.jux.ipc.Semaphores;
import dev.jux.ipc.SharedMemory;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.StatFs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * procfs: files generated from what the kernel holds, asked through {@link ProcSource} (the
 * kernel binds itself with {@link #bindAll}). Inodes are made on first lookup and kept per
 * path, so a name always gives the same inode; names are looked up again on every walk
 * ({@link #revalidatesNames()}), so a process's directory goes away with it. /proc/PID and
 * what is in it belong to the process's euid/egid (root's while it is not dumpable, except the
 * 0555 directories), as Linux's task_dump_owner; the rest to root. See {@link ProcFiles} for the contents.
 */
public final class ProcFs extends FileSystem implements ProcSource.Bound {
    /** PROC_SUPER_MAGIC. */
    public static final long MAGIC = 0x9fa0;

    private final ConcurrentHashMap<String, Inode> inodes = new ConcurrentHashMap<>();
    private final ProcDir root;
    private volatile ProcSource source;

    public ProcFs() {
        root = new ProcDir(this, 0555, this::rootEntries, this::threadOutsideListing);
    }

    /** Connects this procfs to the kernel whose processes it shows. */
    @Override
    public void bind(ProcSource source) {
        this.source = source;
    }

    /** Binds every procfs and sysfs mounted in the tree under {@code top} to {@code source}. */
    public static void bindAll(Mount top, ProcSource source) {
        ArrayDeque<Mount> todo = new ArrayDeque<>();
        todo.add(top);
        while (!todo.isEmpty()) {
            Mount m = todo.pop();
            if (m.fileSystem() instanceof ProcSource.Bound b) b.bind(source);
            todo.addAll(m.children());
        }
    }

    ProcSource source() {
        ProcSource s = source;
        if (s == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ENOENT, "procfs is not bound to a kernel");
        return s;
    }

    @Override
    public Inode root() {
        return root;
    }

    @Override
    public String type() {
        return "proc";
    }

    @Override
    public StatFs statfs() {
        return new StatFs(MAGIC, Inode.BLOCK_SIZE, 0, 0, 0, 0, 0, dev(), 255, Inode.BLOCK_SIZE, StatFs.ST_VALID);
    }

    @Override
    public boolean revalidatesNames() {
        return true;
    }

    // --- building blocks: one inode per key ---

    Supplier<Inode> file(String key, int mode, Supplier<String> text) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcFile(this, mode, () -> text.get().getBytes(StandardCharsets.UTF_8)));
    }

    /** A file that takes writes: {@code writer} gets each write's bytes. */
    Supplier<Inode> writable(String key, int mode, Supplier<String> text, java.util.function.Consumer<byte[]> writer) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcFile(this, mode, () -> text.get().getBytes(StandardCharsets.ISO_8859_1), writer));
    }

    Supplier<Inode> bytes(String key, int mode, Supplier<byte[]> content) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcFile(this, mode, content));
    }

    Supplier<Inode> link(String key, int mode, Supplier<String> target) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcLink(this, mode, target));
    }

    /** A magic link: {@code target} is what readlink shows, {@code place} where following it leads (given the link's location). */
    Supplier<Inode> magicLink(String key, int mode, Supplier<String> target, java.util.function.Function<Location, Location> place) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcNodes.ProcMagicLink(this, mode, target, place));
    }

    /** Where following /proc/PID/cwd or root leads: the process's own place. */
    Supplier<Inode> placeLink(String key, Supplier<ProcessView> p, java.util.function.Function<ProcessView, Location> place) {
        return magicLink(key, 0777, () -> ProcFiles.path(place.apply(view(p)), view(p)), link -> place.apply(view(p)));
    }

    /**
     * Where following /proc/PID/fd/N leads while the fd still holds {@code file}: the file's own
     * place in the tree (so a deleted file or a memfd opens again), or a node for a file that
     * has none (a pipe, a socket, a host stream) that stat(2) and open(2) see through.
     */
    private Location fdPlace(int pid, int fd, dev.jux.fs.File file, Location link) {
        ProcessView q = source().find(pid);
        if (q == null || q.files().get(fd) != file) return null;
        if (file.location() != null) return file.location();
        Inode node = new dev.jux.fs.vfs.OpenFileNode(this, file);
        return new Location(link.mount(), dev.jux.fs.vfs.Dentry.orphan(link.dentry(), dev.jux.fs.vfs.ByteString.of(file.procName()), node));
    }

    Supplier<Inode> dir(String key, int mode, Supplier<LinkedHashMap<String, Supplier<Inode>>> entries) {
        return () -> inodes.computeIfAbsent(key, k -> new ProcDir(this, mode, entries));
    }

    // --- the tree ---

    private LinkedHashMap<String, Supplier<Inode>> rootEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        ProcSource src = source;
        if (src != null) {
            for (int pid : src.pids()) e.put(Integer.toString(pid), pidDir(pid));
        }
        e.put("self", link("self", 0777, () -> {
            ProcessView p = source().current();
            return p == null ? null : Integer.toString(p.pid());
        }));
        e.put("thread-self", link("thread-self", 0777, () -> {
            ProcessView p = source().current();
            return p == null ? null : p.pid() + "/task/" + source().currentTid();
        }));
        e.put("cpuinfo", file("cpuinfo", 0444, () -> CpuInfo.text(source().cpuCount())));
        e.put("meminfo", file("meminfo", 0444, () -> SystemFiles.meminfo(source())));
        e.put("stat", file("stat", 0444, () -> SystemFiles.stat(source())));
        e.put("uptime", file("uptime", 0444, () -> SystemFiles.uptime(source())));
        e.put("loadavg", file("loadavg", 0444, () -> SystemFiles.loadavg(source())));
        e.put("version", file("version", 0444, () -> ProcFiles.version(source())));
        e.put("filesystems", file("filesystems", 0444, ProcFiles::filesystems));
        e.put("mounts", link("mounts", 0777, () -> "self/mounts"));
        e.put("net", link("net", 0777, () -> "self/net"));
        e.put("sys", dir("sys", 0555, this::sysEntries));
        e.put("sysvipc", dir("sysvipc", 0555, this::sysvipcEntries));
        return e;
    }

    /**
     * /proc/TID of a thread that is not its process's leader: not listed, but found by name, as
     * Linux's proc_pid_lookup does. Jux gives it the thread's /proc/PID/task/TID directory.
     */
    private Supplier<Inode> threadOutsideListing(String name) {
        ProcSource src = source;
        if (src == null || name.isEmpty() || name.length() > 9 || !name.chars().allMatch(Character::isDigit)) return null;
        if (name.length() > 1 && name.charAt(0) == '0') return null;   // name_to_int: no leading zeros
        int tid = Integer.parseInt(name);
        int pid = src.processOfThread(tid);
        if (pid == 0 || pid == tid) return null;
        return TaskDirs.threadDir(this, pid, tid);
    }

    private LinkedHashMap<String, Supplier<Inode>> sysvipcEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        e.put("msg", file("sysvipc/msg", 0444, () -> SysvIpcFiles.msg(source().ipc())));
        e.put("sem", file("sysvipc/sem", 0444, () -> SysvIpcFiles.sem(source().ipc())));
        e.put("shm", file("sysvipc/shm", 0444, () -> SysvIpcFiles.shm(source().ipc())));
        return e;
    }

    private LinkedHashMap<String, Supplier<Inode>> sysEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        e.put("fs", dir("sys/fs", 0555, this::fsEntries));
        e.put("kernel", dir("sys/kernel", 0555, this::kernelEntries));
        e.put("vm", dir("sys/vm", 0555, this::vmEntries));
        return e;
    }

    private LinkedHashMap<String, Supplier<Inode>> fsEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        e.put("inotify", dir("sys/fs/inotify", 0555, this::inotifyEntries));
        return e;
    }

    /** /proc/sys/fs/inotify: the limits fs/notify enforces (fixed: root cannot raise them yet). */
    private LinkedHashMap<String, Supplier<Inode>> inotifyEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        String k = "sys/fs/inotify/";
        e.put("max_queued_events", file(k + "max_queued_events", 0644, () -> InotifyUsers.MAX_QUEUED_EVENTS + "\n"));
        e.put("max_user_instances", file(k + "max_user_instances", 0644, () -> InotifyUsers.MAX_USER_INSTANCES + "\n"));
        e.put("max_user_watches", file(k + "max_user_watches", 0644, () -> InotifyUsers.MAX_USER_WATCHES + "\n"));
        return e;
    }

    /** /proc/sys/kernel: the names are writable (by root: the files are 0644), with sethostname's rules for the value. */
    private LinkedHashMap<String, Supplier<Inode>> kernelEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        String k = "sys/kernel/";
        e.put("cap_last_cap", file(k + "cap_last_cap", 0444, () -> dev.jux.abi.Capabilities.CAP_LAST_CAP + "\n"));
        e.put("domainname", writable(k + "domainname", 0644, () -> source().domainname() + "\n", b -> source().setDomainname(sysctlString(b))));
        e.put("hostname", writable(k + "hostname", 0644, () -> source().hostname() + "\n", b -> source().setHostname(sysctlString(b))));
        // The System V IPC limits dev.jux.ipc enforces (fixed: root cannot change them yet).
        e.put("msgmax", file(k + "msgmax", 0644, () -> MessageQueues.MSGMAX + "\n"));
        e.put("msgmnb", file(k + "msgmnb", 0644, () -> MessageQueues.MSGMNB + "\n"));
        e.put("msgmni", file(k + "msgmni", 0644, () -> MessageQueues.MSGMNI + "\n"));
        e.put("osrelease", file(k + "osrelease", 0444, () -> source().osRelease() + "\n"));
        e.put("ostype", file(k + "ostype", 0444, () -> "Linux\n"));
        e.put("pid_max", file(k + "pid_max", 0644, () -> ProcFiles.PID_MAX + "\n"));
        e.put("sem", file(k + "sem", 0644, () -> Semaphores.SEMMSL + "\t" + Semaphores.SEMMNS + "\t" + Semaphores.SEMOPM + "\t" + Semaphores.SEMMNI + "\n"));
        e.put("shmall", file(k + "shmall", 0644, () -> Long.toUnsignedString(SharedMemory.SHMALL) + "\n"));
        e.put("shmmax", file(k + "shmmax", 0644, () -> Long.toUnsignedString(SharedMemory.SHMMAX) + "\n"));
        e.put("shmmni", file(k + "shmmni", 0644, () -> SharedMemory.SHMMNI + "\n"));
        e.put("version", file(k + "version", 0444, () -> source().version() + "\n"));
        return e;
    }

    /** /proc/sys/vm: overcommit_memory 0 (heuristic), as Jux reserves guest RAM lazily and fails only when it runs out. */
    private LinkedHashMap<String, Supplier<Inode>> vmEntries() {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        e.put("overcommit_memory", file("sys/vm/overcommit_memory", 0644, () -> "0\n"));
        return e;
    }

    /** /proc/PID/net: Jux's one network (every process shares it), see NetFiles. */
    private LinkedHashMap<String, Supplier<Inode>> netEntries(String k) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        e.put("dev", file(k + "dev", 0444, NetFiles::dev));
        e.put("if_inet6", file(k + "if_inet6", 0444, NetFiles::ifInet6));
        e.put("route", file(k + "route", 0444, NetFiles::route));
        return e;
    }

    /** proc_dostring's write: the value ends at the first newline or NUL and keeps at most 64 bytes. */
    static byte[] sysctlString(byte[] written) {
        int n = 0;
        while (n < written.length && written[n] != '\n' && written[n] != 0) n++;
        return java.util.Arrays.copyOf(written, Math.min(n, 64));
    }

    /** Makes the inodes {@code s} gives belong to process {@code pid} (task_dump_owner). */
    Supplier<Inode> owned(int pid, Supplier<Inode> s) {
        return () -> {
            Inode i = s.get();
            if (i instanceof ProcNodes.ProcInode pi) pi.setOwner(mode -> owner(pid, mode));
            return i;
        };
    }

    private int[] owner(int pid, int mode) {
        ProcessView p = source == null ? null : source.find(pid);
        if (p == null) return new int[] {0, 0};
        // The world-readable directories show the effective ids even when not dumpable (so ps can stat them).
        if (!p.dumpable() && mode != (FileMode.S_IFDIR | 0555)) return new int[] {0, 0};
        return new int[] {p.uids()[1], p.gids()[1]};
    }

    /**
     * The pid whose /proc/PID directory {@code l} is, else 0: pidfd_send_signal takes such a
     * directory's fd as a pidfd (tgid_pidfd_to_pid); /proc/PID/task/TID does not count.
     */
    public static int processDirectoryPid(Location l) {
        if (!(l.inode().fileSystem() instanceof ProcFs) || !l.inode().isDirectory()) return 0;
        var d = l.dentry();
        if (d.isRoot() || !d.parent().isRoot()) return 0;
        String name = d.name().toString();
        if (name.isEmpty() || name.length() > 10 || !name.chars().allMatch(Character::isDigit)) return 0;
        long pid = Long.parseLong(name);
        return pid <= Integer.MAX_VALUE ? (int) pid : 0;
    }

    private Supplier<Inode> pidDir(int pid) {
        return owned(pid, pidDirInode(pid));
    }

    private Supplier<Inode> pidDirInode(int pid) {
        String k = pid + "/";
        Supplier<ProcessView> p = () -> source().find(pid);
        return dir(Integer.toString(pid), 0555, () -> {
            LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
            if (p.get() == null) return e;
            e.put("auxv", owned(pid, bytes(k + "auxv", 0400, () -> mayReadMemory(view(p)) ? view(p).auxv() : denied())));
            e.put("cmdline", owned(pid, bytes(k + "cmdline", 0444, () -> view(p).commandLine())));
            e.put("comm", owned(pid, writable(k + "comm", 0644, () -> ProcFiles.comm(view(p)) + "\n", b -> writeComm(pid, b))));
            e.put("cwd", owned(pid, placeLink(k + "cwd", p, ProcessView::cwd)));
            e.put("environ", owned(pid, bytes(k + "environ", 0400, () -> mayReadMemory(view(p)) ? view(p).environment() : denied())));
            e.put("exe", owned(pid, link(k + "exe", 0777, () -> view(p).executablePath())));
            e.put("fd", fdDir(pid));
            e.put("fdinfo", fdinfoDir(pid));
            e.put("limits", owned(pid, file(k + "limits", 0444, () -> ProcessFiles.limits(view(p)))));
            e.put("maps", owned(pid, file(k + "maps", 0444, () -> ProcFiles.maps(view(p)))));
            e.put("mountinfo", owned(pid, file(k + "mountinfo", 0444, () -> ProcFiles.mounts(view(p), true))));
            e.put("mounts", owned(pid, file(k + "mounts", 0444, () -> ProcFiles.mounts(view(p), false))));
            e.put("net", owned(pid, dir(k + "net", 0555, () -> netEntries(k + "net/"))));
            e.put("smaps", owned(pid, file(k + "smaps", 0444, () -> Smaps.smaps(view(p)))));
            e.put("smaps_rollup", owned(pid, file(k + "smaps_rollup", 0444, () -> Smaps.rollup(view(p)))));
            e.put("oom_adj", owned(pid, writable(k + "oom_adj", 0644, () -> view(p).oomAdj() + "\n",
                    b -> writeOomAdjust(pid, b, true))));
            e.put("oom_score", owned(pid, file(k + "oom_score", 0444, () -> view(p).oomScore() + "\n")));
            e.put("oom_score_adj", owned(pid, writable(k + "oom_score_adj", 0644, () -> view(p).oomScoreAdj() + "\n",
                    b -> writeOomAdjust(pid, b, false))));
            // proc_pid_personality: lock_trace's ptrace check (EPERM), then "%08x\n".
            e.put("personality", owned(pid, file(k + "personality", 0400, () -> {
                if (!mayReadMemory(view(p))) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EPERM);
                return String.format("%08x%n", view(p).personality());
            })));
            e.put("root", owned(pid, placeLink(k + "root", p, ProcessView::root)));
            e.put("stat", owned(pid, file(k + "stat", 0444, () -> ProcessFiles.stat(view(p), ProcessFiles.leader(view(p)),
                    mayReadMemory(view(p)), dev.jux.abi.ResourceUsage.ticks(source().uptimeNanos())))));
            e.put("statm", owned(pid, file(k + "statm", 0444, () -> ProcessFiles.statm(view(p)))));
            e.put("status", owned(pid, file(k + "status", 0444, () -> ProcessFiles.status(view(p), ProcessFiles.leader(view(p)), source().cpuCount()))));
            e.put("task", owned(pid, dir(k + "task", 0555, () -> TaskDirs.entries(this, pid))));
            return e;
        });
    }

    /** /proc/PID/fd: 0500, but a process may always list its own (Linux's proc_fd_permission). */
    Supplier<Inode> fdDir(int pid) {
        Supplier<Inode> d = owned(pid, dir(pid + "/fd", 0500, () -> fdEntries(pid)));
        return () -> {
            Inode i = d.get();
            if (i instanceof ProcDir pd) pd.setGrant(c -> {
                ProcessView self = source == null ? null : source.current();
                return self != null && self.pid() == pid;
            });
            return i;
        };
    }

    /**
     * Linux's comm_write: a process may rename itself (any of its threads); the name is the
     * first 15 bytes written, up to a NUL (a trailing newline stays part of it). Others: EINVAL.
     */
    /**
     * oom_score_adj_write / oom_adj_write: at most 12 bytes are looked at, a number as
     * kstrtoint reads it (base 0) after stripping white space; -1000..1000 (oom_adj: -17..15)
     * or EINVAL; the writer needs CAP_SYS_RESOURCE (root here) to go below what a privileged
     * writer last set.
     */
    private void writeOomAdjust(int pid, byte[] written, boolean legacy) {
        ProcessView target = source().find(pid);
        if (target == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
        int value = ProcNumbers.parseInt(java.util.Arrays.copyOf(written, Math.min(written.length, 12)));
        if (!legacy && (value < -1000 || value > 1000)) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EINVAL);
        ProcessView self = source().current();
        target.setOomScoreAdj(value, legacy, self == null || self.uids()[1] == 0);
    }

    private void writeComm(int pid, byte[] written) {
        ProcessView self = source().current();
        ProcessView target = source().find(pid);
        if (target == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
        if (self == null || self.pid() != pid) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EINVAL);
        int n = 0;
        while (n < Math.min(written.length, 15) && written[n] != 0) n++;
        target.setComm(java.util.Arrays.copyOf(written, n));
    }

    /**
     * Linux's ptrace_may_access(PTRACE_MODE_READ_FSCREDS) for reading another process's memory
     * (environ, the addresses in stat): the process itself, root, or a caller whose fsuid/fsgid
     * are the target's real, effective and saved ids while the target is dumpable.
     */
    boolean mayReadMemory(ProcessView target) {
        ProcessView self = source == null ? null : source.current();
        if (self == null || self.pid() == target.pid()) return true;
        int[] su = self.uids(), sg = self.gids(), tu = target.uids(), tg = target.gids();
        if (su[1] == 0) return true;
        boolean sameUser = su[3] == tu[0] && su[3] == tu[1] && su[3] == tu[2];
        boolean sameGroup = sg[3] == tg[0] && sg[3] == tg[1] && sg[3] == tg[2];
        return sameUser && sameGroup && target.dumpable();
    }

    private static byte[] denied() {
        throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.EACCES);
    }

    /** /proc/PID/fdinfo: one file per open fd with its offset, flags and mount (0500 with the same self rule as fd/). */
    private Supplier<Inode> fdinfoDir(int pid) {
        Supplier<Inode> d = owned(pid, dir(pid + "/fdinfo", 0500, () -> fdinfoEntries(pid)));
        return () -> {
            Inode i = d.get();
            if (i instanceof ProcDir pd) pd.setGrant(c -> {
                ProcessView self = source == null ? null : source.current();
                return self != null && self.pid() == pid;
            });
            return i;
        };
    }

    private LinkedHashMap<String, Supplier<Inode>> fdinfoEntries(int pid) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        ProcessView p = source().find(pid);
        if (p == null) return e;
        p.files().snapshot().forEach((fd, file) -> {
            String key = pid + "/fdinfo/" + fd + "@" + System.identityHashCode(file);
            e.put(Integer.toString(fd), owned(pid, file(key, 0444, () -> {
                ProcessView q = source().find(pid);
                if (q == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
                return ProcessFiles.fdinfo(file, q.files().get(fd) == file && q.files().closeOnExec(fd), ProcessFiles.mountId(file));
            })));
        });
        return e;
    }

    private LinkedHashMap<String, Supplier<Inode>> fdEntries(int pid) {
        LinkedHashMap<String, Supplier<Inode>> e = new LinkedHashMap<>();
        ProcessView p = source().find(pid);
        if (p == null) return e;
        p.files().snapshot().forEach((fd, file) -> {
            // A new open file under a reused fd number gets a fresh inode (Linux's fd dentries are per file).
            String key = pid + "/fd/" + fd + "@" + System.identityHashCode(file);
            int acc = file.statusFlags() & dev.jux.abi.OpenFlags.O_ACCMODE;
            int mode = 0100 * ((acc == dev.jux.abi.OpenFlags.O_RDONLY ? 4 : acc == dev.jux.abi.OpenFlags.O_WRONLY ? 2 : 6) | 1);
            e.put(Integer.toString(fd), owned(pid, magicLink(key, mode & 0700, () -> {
                ProcessView q = source().find(pid);
                return q == null ? null : ProcFiles.fdTarget(file, q);
            }, link -> fdPlace(pid, fd, file, link))));
        });
        return e;
    }

    static ProcessView view(Supplier<ProcessView> p) {
        ProcessView v = p.get();
        if (v == null) throw new dev.jux.abi.LinuxException(dev.jux.abi.Errno.ESRCH);
        return v;
    }

    static boolean isDirectory(Inode i) {
        return FileMode.type(i.mode()) == FileMode.S_IFDIR;
    }
}
