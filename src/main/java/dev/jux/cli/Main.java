package dev.jux.cli;

import dev.jux.host.ShutdownHooks;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The {@code jux} command: {@code jux run [options] -- PROGRAM ARGS...}, {@code jux --version}. */
public final class Main {
    private Main() {}

    static final int USAGE_ERROR = 2;

    static final String USAGE = """
            usage: jux run [options] [--] PROGRAM [ARGS...]   run a Linux program under Jux
                   jux                                     on a terminal: an interactive shell (bash, else sh)
                   jux syscalls                            list the system calls Jux implements
                   jux bench-kvm-exit                      measure a bare KVM exit round trip
                   jux --version | --help
            run 'jux run --help' for the options of run""";

    public static void main(String[] args) {
        ShutdownHooks.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) {
        if (args.isEmpty() && Console.wanted()) {
            // An interactive shell on Jux's console: the guest's bash, else sh.
            String shell = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
            return run(List.of("run", "--", shell));
        }
        if (args.isEmpty()) {
            System.err.println(USAGE);
            return USAGE_ERROR;
        }
        String command = args.getFirst();
        List<String> rest = args.subList(1, args.size());
        switch (command) {
            case "--version", "version" -> {
                System.out.println("jux " + version());
                return 0;
            }
            case "--help", "-h", "help" -> {
                System.out.println(USAGE);
                return 0;
            }
            case "run" -> {
                if (rest.contains("--help") && (rest.indexOf("--help") < rest.indexOf("--") || !rest.contains("--"))) {
                    System.out.println(RunOptions.USAGE);
                    return 0;
                }
                try {
                    return new RunCommand(RunOptions.parse(rest)).execute();
                } catch (UsageException e) {
                    System.err.println("jux: " + e.getMessage());
                    System.err.println(RunOptions.USAGE);
                    return USAGE_ERROR;
                }
            }
            case "syscalls" -> {
                SyscallList.print(System.out);
                return 0;
            }
            case "bench-kvm-exit" -> {
                return KvmExitBenchCommand.run(rest);
            }
            default -> {
                System.err.println("jux: unknown command '" + command + "'");
                System.err.println(USAGE);
                return USAGE_ERROR;
            }
        }
    }

    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/dev/jux/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
