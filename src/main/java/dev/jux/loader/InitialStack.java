package dev.jux.loader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The initial process stack, laid out byte for byte as Linux's execve (copy_strings,
 * setup_arg_pages, create_elf_tables) does without randomization; checked against a native
 * run under {@code setarch -R}. From the top down:
 *
 * <pre>
 *   stackTop - 8      8 zero bytes (end marker)
 *                     execfn string        (AT_EXECFN)
 *                     envp strings         envp[0] lowest
 *                     argv strings         argv[0] lowest: the lowest string (arg_start)
 *                     padding down to 16 bytes (arch_align_stack)
 *                     "x86_64\0"           (AT_PLATFORM, 7 bytes, unaligned)
 *                     16 random bytes      (AT_RANDOM, right below it)
 *                     padding, so that rsp ends up 16-byte aligned
 *                     auxv pairs, ending with AT_NULL
 *                     envp pointers, NULL
 *                     argv pointers, NULL
 *   rsp          -&gt;   argc
 * </pre>
 */
public final class InitialStack {
    private static final byte[] PLATFORM = "x86_64\0".getBytes(StandardCharsets.US_ASCII);
    public static final int RANDOM_BYTES = 16;

    /**
     * The auxv order of Linux's create_elf_tables (x86-64 ARCH_DLINFO first), as a native
     * program on the host sees it. Types not listed go last, before AT_NULL, in given order.
     */
    private static final long[] LINUX_ORDER = {
        AuxEntry.AT_SYSINFO_EHDR, AuxEntry.AT_MINSIGSTKSZ, AuxEntry.AT_HWCAP, AuxEntry.AT_PAGESZ,
        AuxEntry.AT_CLKTCK, AuxEntry.AT_PHDR, AuxEntry.AT_PHENT, AuxEntry.AT_PHNUM, AuxEntry.AT_BASE,
        AuxEntry.AT_FLAGS, AuxEntry.AT_ENTRY, AuxEntry.AT_UID, AuxEntry.AT_EUID, AuxEntry.AT_GID,
        AuxEntry.AT_EGID, AuxEntry.AT_SECURE, AuxEntry.AT_RANDOM, AuxEntry.AT_HWCAP2, AuxEntry.AT_HWCAP3,
        AuxEntry.AT_HWCAP4, AuxEntry.AT_EXECFN, AuxEntry.AT_PLATFORM, AuxEntry.AT_BASE_PLATFORM,
        AuxEntry.AT_EXECFD, AuxEntry.AT_RSEQ_FEATURE_SIZE, AuxEntry.AT_RSEQ_ALIGN,
    };

    private final long top;
    private final long rsp;
    private final byte[] image;
    private final List<AuxEntry> auxv;
    private final long argStart;
    private final long envStart;
    private final long envEnd;

    private InitialStack(long top, long rsp, byte[] image, List<AuxEntry> auxv, long argStart, long envStart, long envEnd) {
        this.top = top;
        this.rsp = rsp;
        this.image = image;
        this.auxv = auxv;
        this.argStart = argStart;
        this.envStart = envStart;
        this.envEnd = envEnd;
    }

    /** {@link #build(long, List, List, byte[], List, byte[], long)} with the default 8 MiB RLIMIT_STACK. */
    public static InitialStack build(long stackTop, List<byte[]> argv, List<byte[]> envp, byte[] execfn,
            List<AuxEntry> auxv, byte[] random) {
        return build(stackTop, argv, envp, execfn, auxv, random, ArgLimits.DEFAULT_RLIMIT_STACK);
    }

    /**
     * Lays out the stack just below {@code stackTop} (16-byte aligned; Linux's is a page
     * boundary). Strings are raw bytes without their NUL; {@code execfn} is the file name
     * execve was given (bprm-&gt;filename), not argv[0]. {@code auxv} holds the entries that
     * do not point into the stack, in any order; AT_RANDOM, AT_PLATFORM, AT_EXECFN and AT_NULL
     * are added here. Throws E2BIG as execve does (see {@link ArgLimits}). An empty argv becomes
     * {""}, as Linux (5.18+) does, so argc is never 0.
     */
    public static InitialStack build(long stackTop, List<byte[]> argv, List<byte[]> envp, byte[] execfn,
            List<AuxEntry> auxv, byte[] random, long rlimitStack) {
        if ((stackTop & 15) != 0) throw new IllegalArgumentException("stack top not 16-byte aligned");
        if (random.length != RANDOM_BYTES) throw new IllegalArgumentException("AT_RANDOM needs 16 bytes");
        ArgLimits.check(argv, envp, execfn, rlimitStack);
        if (argv.isEmpty()) argv = List.of(new byte[0]);

        // Strings go downwards from below the end marker: execfn, envp last to first, argv
        // last to first, as copy_string_kernel/copy_strings push them.
        long p = stackTop - 8;
        long execfnAddr = p -= execfn.length + 1;
        long[] envAddr = pushStrings(envp, p);
        p = envp.isEmpty() ? p : envAddr[0];
        long[] argAddr = pushStrings(argv, p);
        long envStart = p;
        p = argAddr[0];
        long argStart = p;

        p &= -16;
        long platformAddr = p -= PLATFORM.length;
        long randomAddr = p -= RANDOM_BYTES;
        List<AuxEntry> vector = withStackEntries(auxv, randomAddr, execfnAddr, platformAddr);
        long items = argv.size() + 1 + envp.size() + 1 + 1;
        // create_elf_tables' STACK_ROUND: the padding goes between auxv and the random bytes.
        long rsp = (p - 16L * vector.size() - 8 * items) & -16;
        if (Long.compareUnsigned(rsp, stackTop) > 0) throw new IllegalArgumentException("stack top too low");

        ByteBuffer img = ByteBuffer.allocate(Math.toIntExact(stackTop - rsp)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        img.putLong(at, argv.size());
        at = putPointers(img, at + 8, argAddr);
        at = putPointers(img, at, envAddr);
        for (AuxEntry e : vector) {
            img.putLong(at, e.type()).putLong(at + 8, e.value());
            at += 16;
        }
        img.put((int) (randomAddr - rsp), random);
        img.put((int) (platformAddr - rsp), PLATFORM);
        putStrings(img, rsp, argv, argAddr);
        putStrings(img, rsp, envp, envAddr);
        putStrings(img, rsp, List.of(execfn), new long[] {execfnAddr});
        return new InitialStack(stackTop, rsp, img.array(), vector, argStart, envStart, execfnAddr);
    }

    /** The stack image: place it at {@link #base()}; it ends at the stack top. */
    public byte[] image() {
        return image.clone();
    }

    /** The address of the image's lowest byte; the same as {@link #rsp()}. */
    public long base() {
        return rsp;
    }

    /** The initial stack pointer: 16-byte aligned, pointing at argc. */
    public long rsp() {
        return rsp;
    }

    public long top() {
        return top;
    }

    /** The auxv as written, AT_NULL last: what /proc/PID/auxv shows (Linux's saved_auxv). */
    public List<AuxEntry> auxv() {
        return auxv;
    }

    /** Linux's mm-&gt;arg_start: argv[0]'s string. /proc/PID/cmdline reads [argStart, argEnd). */
    public long argStart() {
        return argStart;
    }

    /** Linux's mm-&gt;arg_end, which is also env_start. */
    public long argEnd() {
        return envStart;
    }

    public long envStart() {
        return envStart;
    }

    /** Linux's mm-&gt;env_end: the end of the last envp string, where execfn starts. */
    public long envEnd() {
        return envEnd;
    }

    /** Helper for callers holding Java strings: each one UTF-8 encoded. */
    public static List<byte[]> utf8(List<String> strings) {
        return strings.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Addresses for {@code strings} packed right below {@code below}, the first one lowest. */
    private static long[] pushStrings(List<byte[]> strings, long below) {
        long[] addr = new long[strings.size()];
        for (int i = strings.size() - 1; i >= 0; i--) addr[i] = below -= strings.get(i).length + 1;
        return addr;
    }

    private static void putStrings(ByteBuffer img, long base, List<byte[]> strings, long[] addr) {
        for (int i = 0; i < strings.size(); i++) {
            byte[] s = strings.get(i);
            for (byte c : s) {
                if (c == 0) throw new IllegalArgumentException("string with an embedded NUL");
            }
            img.put((int) (addr[i] - base), s); // the NUL is already there: the buffer starts zeroed
        }
    }

    /** Writes the pointers and their NULL terminator; returns the offset after them. */
    private static int putPointers(ByteBuffer img, int at, long[] addr) {
        for (long a : addr) {
            img.putLong(at, a);
            at += 8;
        }
        return at + 8;
    }

    private static List<AuxEntry> withStackEntries(List<AuxEntry> given, long random, long execfn, long platform) {
        List<AuxEntry> all = new ArrayList<>(given.size() + 4);
        for (AuxEntry e : given) {
            long t = e.type();
            if (t == AuxEntry.AT_NULL || t == AuxEntry.AT_RANDOM || t == AuxEntry.AT_EXECFN || t == AuxEntry.AT_PLATFORM) {
                throw new IllegalArgumentException("auxv type " + t + " is added by InitialStack");
            }
            all.add(e);
        }
        all.add(new AuxEntry(AuxEntry.AT_RANDOM, random));
        all.add(new AuxEntry(AuxEntry.AT_EXECFN, execfn));
        all.add(new AuxEntry(AuxEntry.AT_PLATFORM, platform));
        // Stable: equal types keep their order. Not comparingInt: see docs/design.md, "Start-up".
        all.sort((a, b) -> Integer.compare(rank(a.type()), rank(b.type())));
        all.add(new AuxEntry(AuxEntry.AT_NULL, 0));
        return List.copyOf(all);
    }

    private static int rank(long type) {
        for (int i = 0; i < LINUX_ORDER.length; i++) {
            if (LINUX_ORDER[i] == type) return i;
        }
        return LINUX_ORDER.length;
    }
}
