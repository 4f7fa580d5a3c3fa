package dev.jux.cli;

import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.FdTable;
import dev.jux.fs.HostStreamFile;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.Mount;
import dev.jux.host.HostFiles;
import dev.jux.host.HostProcess;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Kernel;
import dev.jux.kernel.KernelLog;
import dev.jux.abi.WaitStatus;
import dev.jux.loader.ElfFile;
import dev.jux.loader.Shebang;
import dev.jux.platform.Platform;
import dev.jux.platform.interp.InterpPlatform;
import dev.jux.platform.kvm.KvmPlatform;
import dev.jux.platform.kvm.KvmUnavailableException;
import dev.jux.syscall.StraceTracer;
import dev.jux.syscall.SyscallTable;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.List;

/** {@code jux run}: boots a kernel, runs one program as its pid 1, exits with its status. */
final class RunCommand {
    /** Jux itself could not run the program (no KVM, a kernel failure): as docker run's 125. */
    static final int JUX_FAILED = 125;

    private final RunOptions options;

    RunCommand(RunOptions options) {
        this.options = options;
    }

    int execute() {
        List<String> command = options.command();
        List<String> env = GuestTree.environment(HostProcess.environment(), options.env());
        Mount root;
        Location cwd;
        Credentials credentials;
        try {
            root = GuestTree.build(options);
            cwd = GuestTree.workdir(root, options.workdir());
            credentials = options.user() != null ? options.user().resolve(root) : Credentials.ROOT;
        } catch (GuestTree.SetupError e) {
            System.err.println(e.getMessage());
            return JUX_FAILED;
        }
        Program program;
        try {
            // With --root, or for an absolute path, the program comes from the guest's tree (so
            // a program on a --mount or --tmpfs is found); a relative path or a PATH search
            // without --root is the host's, relative to Jux's own working directory.
            boolean inGuest = options.rootDir() != null || command.getFirst().startsWith("/");
            program = inGuest
                    ? GuestTree.findProgram(root, cwd, command.getFirst(), pathOf(env))
                    : Program.find(command.getFirst(), pathOf(env));
            if (!credentials.fsCredentials().isRoot()) {
                GuestTree.checkExecutable(root, cwd, program, command.getFirst(), credentials.fsCredentials());
            }
            if (!ElfFile.looksLikeElf(program.image()) && !Shebang.isScript(program.image())) {
                throw new Program.Failure(command.getFirst(), "Exec format error", Program.CANNOT_EXECUTE);
            }
        } catch (Program.Failure f) {
            System.err.println(f.getMessage());
            return f.status;
        }

        KernelLog log;
        try {
            log = options.logFile() != null
                    ? new KernelLog(new PrintStream(new FileOutputStream(options.logFile()), true), true)
                    : new KernelLog(null, true);
        } catch (FileNotFoundException e) {
            System.err.println("jux: cannot write the kernel log to " + options.logFile() + ": " + e.getMessage());
            return Main.USAGE_ERROR;
        }

        Platform platform;
        try {
            platform = createPlatform(options.platform(), options.memoryBytes(), options.jit(), log);
        } catch (KvmUnavailableException e) {
            System.err.println("jux: " + e.getMessage());
            return JUX_FAILED;
        }
        Console console = null;
        try {
            SyscallTable table = SyscallTable.standard();
            StraceTracer tracer = null;
            if (options.strace()) {
                // On the console the host terminal is raw: strace's lines need their CR.
                tracer = new StraceTracer(Console.wanted() ? Console.crlf(System.err) : System.err);
                table.setTracer(tracer);
            }
            Kernel kernel = new Kernel(platform, log, table, tracer, HostProcess.hostname(), root);
            if (options.cpus() > 0) kernel.limitCpus(options.cpus());
            // With a host terminal on stdin and stdout the guest gets Jux's console instead.
            if (Console.wanted()) console = Console.start(kernel);
            FdTable streams = console != null ? console.standardStreams(root) : standardStreams();
            int status = kernel.runInit(program.guestPath(), command, env, streams, cwd, credentials);
            return WaitStatus.shellStatus(status);
        } catch (LinuxException e) {
            System.err.println("jux: " + command.getFirst() + ": " + e.errno().message()
                    + (e.getMessage().contains(": ") ? " (" + e.getMessage().substring(e.getMessage().indexOf(": ") + 2) + ")" : ""));
            return Program.CANNOT_EXECUTE;
        } finally {
            if (console != null) console.close();
            if (platform instanceof InterpPlatform interp && interp.jitSummary() != null) log.info(interp.jitSummary());
            platform.close();
        }
    }

    /**
     * The platform named by --platform: kvm, interp, or auto (kvm if /dev/kvm can be opened and
     * has what Jux needs, otherwise the interpreter; the kernel log says why KVM was passed over).
     */
    static Platform createPlatform(String name, long memoryBytes, boolean jit, KernelLog log) {
        return switch (name) {
            case "interp" -> new InterpPlatform(memoryBytes, jit);
            case "auto" -> {
                try {
                    yield new KvmPlatform(memoryBytes);
                } catch (KvmUnavailableException e) {
                    log.info("platform: kvm unavailable (" + e.getMessage() + "), using interp");
                    yield new InterpPlatform(memoryBytes, jit);
                }
            }
            default -> new KvmPlatform(memoryBytes);
        };
    }

    private static String pathOf(List<String> env) {
        for (String e : env) if (e.startsWith("PATH=")) return e.substring(5);
        return null;
    }

    /** Jux's own fds 0, 1 and 2, those that are open, become the guest's. */
    private static FdTable standardStreams() {
        FdTable files = new FdTable();
        for (int fd = 0; fd <= 2; fd++) {
            if (HostFiles.fstat(fd) != null) files.installAt(fd, new HostStreamFile(fd, OpenFlags.O_RDWR), false);
        }
        return files;
    }
}
