package dev.jux.cli;

import java.util.ArrayList;
import java.util.List;

/** The options of {@code jux run}, parsed from its arguments. */
record RunOptions(boolean strace, long memoryBytes, String logFile, String platform, List<String> command,
                  String rootDir, boolean rootWritable, List<MountSpec> mounts, String workdir, List<String> env,
                  GuestUser user, int cpus, boolean jit) {
    static final long DEFAULT_MEMORY = 4L << 30;

    /** A --mount (host source, read-only or not) or a --tmpfs (source null), in command-line order. */
    record MountSpec(String source, String target, boolean readOnly) {
        boolean isTmpfs() {
            return source == null;
        }
    }

    static final String USAGE = """
            usage: jux run [options] [--] PROGRAM [ARGS...]
              --strace          print every system call to stderr, as strace does
              --memory SIZE     guest memory, e.g. 512M or 8G (default 4G; reserved, not committed;
                                past it the OOM killer ends the largest process)
              --log FILE        write the kernel log to FILE
              --platform NAME   where guest code runs: auto (default: kvm when /dev/kvm
                                can be used, else interp), kvm (fail when it cannot be
                                used), or interp (the pure-Java interpreter: no KVM
                                needed, much slower)
              --no-jit          with the interpreter, do not translate hot code to JVM
                                bytecode (the JIT is on by default; -Djux.jit=off also
                                turns it off)
              --root DIR[:rw]   a host directory as the guest's root (read-only unless :rw);
                                PROGRAM is then looked up inside it
              --mount SRC:DST[:ro]  mount host directory or file SRC at DST (read-write unless :ro)
              --tmpfs DST       mount a fresh tmpfs at DST
              --workdir DIR     the guest's initial working directory (default /)
              --env K=V         set one environment variable (repeatable)
              --user USER[:GROUP]  run as this user and group (names from the guest's
                                /etc/passwd and /etc/group, or numbers; default root)
              --cpus N          the guest sees N CPUs and runs at most N threads at a time
                                (1 to the host's cores; default: all of the host's)""";

    static RunOptions parse(List<String> args) throws UsageException {
        boolean strace = false;
        long memory = DEFAULT_MEMORY;
        String log = null, platform = "auto", rootDir = null, workdir = null;
        boolean rootWritable = false;
        List<MountSpec> mounts = new ArrayList<>();
        List<String> env = new ArrayList<>();
        GuestUser user = null;
        int cpus = 0;
        boolean jit = true;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) break;
            String name = a, value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--strace" -> {
                    if (value != null) throw new UsageException("option '--strace' takes no value");
                    strace = true;
                }
                case "--no-jit" -> {
                    if (value != null) throw new UsageException("option '--no-jit' takes no value");
                    jit = false;
                }
                case "--memory" -> memory = parseSize(value != null ? value : next(args, ++i, name));
                case "--log" -> log = value != null ? value : next(args, ++i, name);
                case "--platform" -> platform = value != null ? value : next(args, ++i, name);
                case "--root" -> {
                    String v = value != null ? value : next(args, ++i, name);
                    rootWritable = v.endsWith(":rw");
                    if (rootWritable || v.endsWith(":ro")) v = v.substring(0, v.length() - 3);
                    if (v.isEmpty()) throw new UsageException("bad value for --root: a host directory is needed");
                    if (rootDir != null) throw new UsageException("--root given twice");
                    rootDir = v;
                }
                case "--mount" -> mounts.add(parseMount(value != null ? value : next(args, ++i, name)));
                case "--tmpfs" -> mounts.add(new MountSpec(null, checkTarget(value != null ? value : next(args, ++i, name), "--tmpfs"), false));
                case "--workdir" -> {
                    workdir = value != null ? value : next(args, ++i, name);
                    if (!workdir.startsWith("/")) throw new UsageException("bad value '" + workdir + "' for --workdir: an absolute path is needed");
                }
                case "--env" -> {
                    String v = value != null ? value : next(args, ++i, name);
                    int e = v.indexOf('=');
                    if (e <= 0) throw new UsageException("bad value '" + v + "' for --env: K=V is needed");
                    env.add(v);
                }
                case "--user" -> user = GuestUser.parse(value != null ? value : next(args, ++i, name));
                case "--cpus" -> cpus = parseCpus(value != null ? value : next(args, ++i, name));
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (!List.of("kvm", "interp", "auto").contains(platform)) {
            throw new UsageException("unknown platform '" + platform + "' (available: kvm, interp, auto)");
        }
        List<String> command = new ArrayList<>(args.subList(Math.min(i, args.size()), args.size()));
        if (command.isEmpty()) throw new UsageException("no program given");
        return new RunOptions(strace, memory, log, platform, command, rootDir, rootWritable, List.copyOf(mounts), workdir, List.copyOf(env), user, cpus, jit);
    }

    /** --cpus: an integer from 1 to the host's cores. */
    static int parseCpus(String v) throws UsageException {
        int host = dev.jux.kernel.Kernel.hostCpus();
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= host) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("bad value '" + v + "' for --cpus: an integer from 1 to " + host + " (the host's cores) is needed");
    }

    /** SRC:DST, SRC:DST:ro or SRC:DST:rw; DST absolute and not "/". */
    private static MountSpec parseMount(String v) throws UsageException {
        boolean ro = false;
        if (v.endsWith(":ro") || v.endsWith(":rw")) {
            ro = v.endsWith(":ro");
            v = v.substring(0, v.length() - 3);
        }
        int colon = v.lastIndexOf(':');
        if (colon <= 0) throw new UsageException("bad value '" + v + "' for --mount: SRC:DST[:ro] is needed");
        return new MountSpec(v.substring(0, colon), checkTarget(v.substring(colon + 1), "--mount"), ro);
    }

    private static String checkTarget(String dst, String option) throws UsageException {
        if (!dst.startsWith("/")) throw new UsageException("bad target '" + dst + "' for " + option + ": an absolute guest path is needed");
        if (dst.replace("/", "").isEmpty()) throw new UsageException("bad target '" + dst + "' for " + option + ": use --root for \"/\"");
        return dst;
    }

    private static String next(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) throw new UsageException("option '" + option + "' needs a value");
        return args.get(i);
    }

    /** "512M", "8G", "65536": a size in bytes, at least 64 MiB, a multiple of the page size. */
    static long parseSize(String s) throws UsageException {
        try {
            String digits = s.replaceAll("(?i)[kmgt]i?b?$", "");
            long n = Long.parseLong(digits);
            String unit = s.substring(digits.length()).toUpperCase();
            long mult = switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
                case ' ' -> 1;
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                case 'T' -> 1L << 40;
                default -> throw new NumberFormatException();
            };
            long bytes = Math.multiplyExact(n, mult);
            if (bytes < (64L << 20) || bytes > (1L << 40)) throw new UsageException("--memory must be between 64M and 1T");
            return bytes & -4096L;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("bad size '" + s + "' for --memory");
        }
    }
}
