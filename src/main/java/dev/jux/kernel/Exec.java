package dev.jux.kernel;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Rlimit;
import dev.jux.fs.FileFlags;
import dev.jux.fs.vfs.Attributes;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.fs.vfs.Permissions;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.host.HostAuxv;
import dev.jux.host.HostRandom;
import dev.jux.loader.ElfFile;
import dev.jux.loader.ElfLoader;
import dev.jux.loader.ExecParameters;
import dev.jux.loader.Shebang;
import dev.jux.mm.AddressSpace;
import dev.jux.platform.UserRegisters;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * execve as Linux's fs/exec.c does it, in two halves. {@link #prepare} finds the program
 * (following {@code #!} scripts), reads it and builds the whole new process image in a fresh
 * {@link AddressSpace}; any error there leaves the caller untouched. {@link #commit} is the
 * point of no return: it installs the image in a running task (execve); {@link Kernel#runInit}
 * installs it in a new process (pid 1). Opening follows do_open_execat: see {@link #open}.
 */
public final class Exec {
    private Exec() {}

    /**
     * How many times a file may be replaced by its interpreter: Linux's exec_binprm gives up
     * with ELOOP when a sixth #! script would be followed ({@code depth > 5}).
     */
    static final int MAX_REWRITES = 5;

    /** The rights and places exec looks things up with: the process's root, cwd, credentials, limits. */
    public record Caller(PathWalker walker, Location cwd, Credentials credentials, long rlimitStack, boolean noNewPrivs) {
        /** The caller that {@code group} is. */
        public static Caller of(ThreadGroup group) {
            return new Caller(new PathWalker(group.fs().root(), group.fsCredentials()), group.fs().cwd(),
                    group.credentials(), group.limits().soft(Rlimit.RLIMIT_STACK), group.prctlState().noNewPrivs);
        }
    }

    /**
     * A process image built and not yet installed: its memory, where it starts, and what
     * /proc/PID shows of it. {@link #discard} frees it if it is never committed.
     */
    public record Image(AddressSpace memory, long entry, long stackPointer, String executablePath, byte[] comm,
                        List<byte[]> argv, List<byte[]> envp, Credentials credentials) {
        public void discard() {
            memory.destroy();
        }

        /** The registers a new program starts with: all zero but rip and rsp (Linux's ELF_PLAT_INIT, start_thread). */
        public void initialRegisters(UserRegisters r) {
            r.copyFrom(new UserRegisters());
            r.rip = entry;
            r.rsp = stackPointer;
        }
    }

    /**
     * Resolves and opens a program as do_open_execat does, in its order: the walk's own errors
     * (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES on a directory); a final symlink when not
     * following is ELOOP; anything but a regular file is EACCES (also a directory); no execute
     * permission is EACCES (root needs some x bit); a file open for writing is ETXTBSY.
     */
    public static Location open(Kernel kernel, PathWalker walker, Location start, ByteString path, boolean follow) {
        if (path.isEmpty()) throw new LinuxException(Errno.ENOENT);
        Location l = walker.resolve(start, path, follow);
        check(kernel, l, walker);
        return l;
    }

    /** The checks of {@link #open} for a file already found (execveat with AT_EMPTY_PATH). */
    public static void check(Kernel kernel, Location l, PathWalker walker) {
        Inode i = l.inode();
        if (i.isSymlink()) throw new LinuxException(Errno.ELOOP);
        if (!i.isRegular()) throw new LinuxException(Errno.EACCES);
        // Mounts have no noexec flag yet, so path_noexec never refuses.
        if (!Permissions.allowed(i, walker.credentials(), Permissions.MAY_EXEC)) throw new LinuxException(Errno.EACCES);
        if (openForWriting(kernel, i)) throw new LinuxException(Errno.ETXTBSY);
    }

    /**
     * deny_write_access: whether some process has the file open for writing. A scan of the fd
     * tables, since inodes keep no writer count; the reverse check (ETXTBSY for opening a
     * running program for writing) is not done.
     */
    private static boolean openForWriting(Kernel kernel, Inode inode) {
        for (int pid : kernel.pids()) {
            ThreadGroup g = kernel.process(pid);
            if (g != null && g.files().anyMatch(f -> f instanceof VfsFile v && v.inode() == inode
                    && !v.isPathOnly() && FileFlags.writable(v.statusFlags()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Builds the image of {@code file} (already {@link #open opened}): follows #! scripts (at
     * most {@link #MAX_REWRITES}), loads the ELF program and its PT_INTERP interpreter.
     *
     * @param filename what Linux calls bprm-&gt;filename: the path as given, or "/dev/fd/N[/path]"
     *        for execveat relative to a dirfd; AT_EXECFN, the script path in a #! rewrite, and comm
     * @param commFromFile the command name is the file's own name (execveat with AT_EMPTY_PATH, Linux 6.14+)
     * @param pathInaccessible the script could not be reopened by its path after exec (a
     *        "/dev/fd/N" path whose fd is close-on-exec): a #! script fails with ENOENT
     */
    public static Image prepare(Kernel kernel, Caller caller, Location file, byte[] filename, boolean commFromFile,
                                boolean pathInaccessible, List<byte[]> argv, List<byte[]> envp) {
        // Linux 5.18+ turns an empty argv into {""}.
        List<byte[]> args = new ArrayList<>(argv.isEmpty() ? List.of(new byte[0]) : argv);
        byte[] interp = filename;   // bprm->interp: the name the next #! rewrite inserts
        for (int depth = 0; ; depth++) {
            if (depth > MAX_REWRITES) throw new LinuxException(Errno.ELOOP);
            byte[] head = read(file.inode(), Shebang.BUF_SIZE);
            if (ElfFile.looksLikeElf(head)) break;
            if (!Shebang.isScript(head)) throw new LinuxException(Errno.ENOEXEC);
            Shebang line = Shebang.parse(head);
            if (pathInaccessible) throw new LinuxException(Errno.ENOENT);
            // argv becomes: interpreter, its argument if any, the script's path, then argv[1..].
            args.removeFirst();
            args.addFirst(interp);
            if (line.argument() != null) args.addFirst(line.argument());
            args.addFirst(line.interpreter());
            interp = line.interpreter();
            file = openInterpreter(kernel, caller, ByteString.copyOf(line.interpreter()));
        }

        byte[] image = read(file.inode(), Integer.MAX_VALUE - 16);
        String path = pathOf(file, caller.walker());
        // bprm_fill_uid: the set-user/group-ID bits of the ELF file (a script's own are ignored,
        // as on Linux, whose bprm->file is the interpreter by then). Mounts have no nosuid yet.
        Inode elf = file.inode();
        Credentials creds = caller.credentials().afterExec(elf.mode(), elf.uid(), elf.gid(), false, caller.noNewPrivs());
        ExecParameters params = parameters(kernel, caller, creds, args, envp, filename);
        AddressSpace memory = kernel.newAddressSpace();
        ElfLoader.Loaded loaded;
        try {
            loaded = ElfLoader.load(memory, new ElfLoader.ExecFile(path, image), params, interpreter -> {
                Location l = openInterpreter(kernel, caller, ByteString.of(interpreter));
                return new ElfLoader.ExecFile(pathOf(l, caller.walker()), read(l.inode(), Integer.MAX_VALUE - 16));
            });
        } catch (RuntimeException | Error e) {
            memory.destroy();
            throw e;
        }
        byte[] comm = commFromFile ? file.dentry().name().toByteArray() : baseName(filename);
        return new Image(memory, loaded.entry(), loaded.stackPointer(), path, comm, List.copyOf(args), List.copyOf(envp), creds);
    }

    /**
     * The point of no return of execve (Linux's begin_new_exec and what follows it): the task
     * runs {@code image} from now on. Close-on-exec fds are closed, handled signals go back to
     * SIG_DFL (ignored ones stay ignored; the mask and pending signals stay), the registers
     * start afresh, and /proc/PID shows the new program.
     */
    public static void commit(Task task, Image image) {
        ThreadGroup group = task.group();
        DeThread.killOtherThreads(task);
        group.replaceMemory(image.memory());
        task.switchAddressSpace();
        task.resetForExec();
        image.initialRegisters(task.registers());
        group.files().closeOnExec();
        group.resetHandlersForExec();
        group.posixTimers().deleteAll();     // exec drops POSIX timers (exit_itimers in begin_new_exec)
        // commit_creds of the new credentials; a set-id exec is not dumpable (suid_dumpable 0).
        group.changeCredentials(c -> image.credentials());
        group.prctlState().dumpable = image.credentials().secureExec() ? 0 : 1;
        task.setPersonality(Personas.afterExec(task.personality(), image.credentials().secureExec()));
        installIdentity(group, image);
    }

    /** What /proc/PID shows of a new image: exe, comm, cmdline, environ; and the "has execed" mark. */
    static void installIdentity(ThreadGroup group, Image image) {
        group.setAuxv(savedAuxv(image));
        group.setExecutablePath(image.executablePath());
        group.setComm(image.comm());
        group.setCommandLine(image.argv(), image.envp());
        group.markExeced();
    }

    /**
     * The auxiliary vector the new image starts with, read back from its initial stack (argc,
     * argv and envp pointers, then the pairs up to AT_NULL): what /proc/PID/auxv shows (Linux's
     * mm->saved_auxv), which debuggers read for AT_ENTRY and AT_PHDR. Empty if unreadable.
     */
    static byte[] savedAuxv(Image image) {
        try {
            var m = image.memory();
            long p = image.stackPointer();
            long argc = m.readLong(p);
            p += 8 * (argc + 2);
            while (m.readLong(p) != 0) p += 8;
            long start = p + 8, end = start;
            for (int i = 0; i < 64 && m.readLong(end) != 0; i++) end += 16;
            return m.read(start, (int) (end + 16 - start));
        } catch (LinuxException e) {
            return new byte[0];
        }
    }

    /**
     * open_exec for an interpreter (#! or PT_INTERP): relative to the working directory. An
     * empty name is not ENOENT there: the kernel's walk of "" ends at the working directory,
     * a directory, hence EACCES (measured: "#!" alone).
     */
    private static Location openInterpreter(Kernel kernel, Caller caller, ByteString name) {
        if (name.isEmpty()) {
            check(kernel, caller.cwd(), caller.walker());
            return caller.cwd();
        }
        return open(kernel, caller.walker(), start(caller, name), name, true);
    }

    /** Where open_exec starts a path: the root for an absolute one, else the working directory. */
    private static Location start(Caller caller, ByteString path) {
        return !path.isEmpty() && path.byteAt(0) == '/' ? caller.walker().root() : caller.cwd();
    }

    private static String pathOf(Location l, PathWalker walker) {
        return new String(Attributes.pathOf(l, walker.root()).toByteArray(), StandardCharsets.UTF_8);
    }

    private static byte[] baseName(byte[] path) {
        int slash = -1;
        for (int k = 0; k < path.length; k++) if (path[k] == '/') slash = k;
        return Arrays.copyOfRange(path, slash + 1, path.length);
    }

    private static final long AT_MINSIGSTKSZ = 51;
    /** Jux leaves CR4.FSGSBASE off (see platform/kvm/VcpuSetup), so it must not advertise it. */
    private static final long HWCAP2_FSGSBASE = 2;

    private static ExecParameters parameters(Kernel kernel, Caller caller, Credentials c, List<byte[]> argv, List<byte[]> envp, byte[] execfn) {
        byte[] random = new byte[16];
        HostRandom.fill(random);
        return new ExecParameters(argv, envp, execfn, c.uid(), c.euid(), c.gid(), c.egid(), c.secureExec(),
                kernel.platform().hardwareCapabilities(), kernel.platform().hardwareCapabilities2() & ~HWCAP2_FSGSBASE, HostAuxv.get(AT_MINSIGSTKSZ, 2048),
                caller.rlimitStack(), random);
    }

    /** Up to {@code max} bytes from the start of a file (fewer if it is shorter); EFBIG beyond. */
    private static byte[] read(Inode inode, long max) {
        long size = inode.size();
        if (max == Integer.MAX_VALUE - 16 && size > max) throw new LinuxException(Errno.EFBIG);
        long want = Math.min(size, max);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, want));
            long done = 0;
            while (done < want) {
                long n = inode.read(done, buf.asSlice(done, want - done));
                if (n <= 0) break;
                done += n;
            }
            return buf.asSlice(0, done).toArray(JAVA_BYTE);
        }
    }
}
