package dev.jux.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class InitialStackTest {
    private static final long TOP = 0x7ffffffff000L;
    private static final byte[] RANDOM = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    /** Scrambled on purpose: InitialStack puts them in Linux's order. */
    private static final List<AuxEntry> AUXV = List.of(
            new AuxEntry(AuxEntry.AT_ENTRY, 0x401000), new AuxEntry(AuxEntry.AT_PHDR, 0x400040),
            new AuxEntry(AuxEntry.AT_RSEQ_ALIGN, 32), new AuxEntry(AuxEntry.AT_PAGESZ, 4096),
            new AuxEntry(AuxEntry.AT_SYSINFO_EHDR, 0x7ffff7ffd000L), new AuxEntry(AuxEntry.AT_PHNUM, 10),
            new AuxEntry(AuxEntry.AT_SECURE, 0), new AuxEntry(AuxEntry.AT_HWCAP2, 2), new AuxEntry(AuxEntry.AT_UID, 1000));

    @TempDir
    Path dir;

    private static List<byte[]> bytes(String... s) {
        return InitialStack.utf8(List.of(s));
    }

    @Test
    void walkingFromRspGivesEverythingBack() {
        InitialStack st = InitialStack.build(TOP, bytes("prog", "a", "bb"), bytes("X=1", "LONGER=value"),
                "/usr/bin/prog".getBytes(), AUXV, RANDOM);
        assertEquals(0, st.rsp() % 16);
        assertEquals(st.rsp(), st.base());
        assertEquals(TOP, st.top());
        byte[] img = st.image();
        assertEquals(TOP - st.rsp(), img.length);
        StackWalker w = new StackWalker(img, st.rsp());
        assertEquals(3, w.argc);
        assertEquals(List.of("prog", "a", "bb"), w.strings(w.argvPointers));
        assertEquals(List.of("X=1", "LONGER=value"), w.strings(w.envpPointers));
        assertEquals(List.of(AuxEntry.AT_SYSINFO_EHDR, AuxEntry.AT_PAGESZ, AuxEntry.AT_PHDR, AuxEntry.AT_PHNUM,
                AuxEntry.AT_ENTRY, AuxEntry.AT_UID, AuxEntry.AT_SECURE, AuxEntry.AT_RANDOM, AuxEntry.AT_HWCAP2,
                AuxEntry.AT_EXECFN, AuxEntry.AT_PLATFORM, AuxEntry.AT_RSEQ_ALIGN, AuxEntry.AT_NULL),
                w.auxv.stream().map(AuxEntry::type).toList());
        assertEquals(w.auxv, st.auxv());
        assertEquals(0x400040, w.aux(AuxEntry.AT_PHDR));
        assertArrayEquals(RANDOM, w.bytes(w.aux(AuxEntry.AT_RANDOM), 16));
        assertEquals("x86_64", new String(w.string(w.aux(AuxEntry.AT_PLATFORM))));
        assertEquals("/usr/bin/prog", new String(w.string(w.aux(AuxEntry.AT_EXECFN))));

        // The strings are packed below the 8-byte end marker: argv, envp, execfn.
        assertArrayEquals(new byte[8], Arrays.copyOfRange(img, img.length - 8, img.length));
        assertEquals(TOP - 8 - 14, w.aux(AuxEntry.AT_EXECFN));
        assertEquals(st.argStart(), w.argvPointers.getFirst());
        assertEquals(st.argEnd(), w.envpPointers.getFirst());
        assertEquals(st.envStart(), st.argEnd());
        assertEquals(st.envEnd(), w.aux(AuxEntry.AT_EXECFN));
        assertEquals(st.argStart() + 5 + 2 + 3, st.argEnd());
        // Platform string right below the 16-aligned end of the strings, random bytes right below it.
        assertEquals((st.argStart() & -16) - 7, w.aux(AuxEntry.AT_PLATFORM));
        assertEquals(w.aux(AuxEntry.AT_PLATFORM) - 16, w.aux(AuxEntry.AT_RANDOM));
        // auxv ends at most 15 bytes below the random bytes.
        long auxEnd = st.rsp() + w.auxvOffset + 16L * w.auxv.size();
        assertEquals(true, w.aux(AuxEntry.AT_RANDOM) - auxEnd < 16);
    }

    @Test
    void rspIsAlignedWhateverTheCounts() {
        for (int argc = 1; argc < 6; argc++) {
            for (int envc = 0; envc < 6; envc++) {
                for (int len = 0; len < 20; len += 3) {
                    List<byte[]> argv = new ArrayList<>();
                    List<byte[]> envp = new ArrayList<>();
                    for (int i = 0; i < argc; i++) argv.add("a".repeat(len + i).getBytes());
                    for (int i = 0; i < envc; i++) envp.add(("E" + i + "=" + "v".repeat(len)).getBytes());
                    List<AuxEntry> aux = AUXV.subList(0, len % AUXV.size());
                    InitialStack st = InitialStack.build(TOP, argv, envp, "x".repeat(len).getBytes(), aux, RANDOM);
                    assertEquals(0, st.rsp() % 16);
                    StackWalker w = new StackWalker(st.image(), st.rsp());
                    assertEquals(argc, w.argc);
                    assertEquals(argc, w.argvPointers.size());
                    assertEquals(envc, w.envpPointers.size());
                    assertEquals(aux.size() + 4, w.auxv.size());
                }
            }
        }
    }

    @Test
    void emptyArgvBecomesOneEmptyString() {
        // Linux 5.18+ (measured: argc 1, argv[0] "" right below the envp strings).
        InitialStack st = InitialStack.build(TOP, List.of(), bytes("E=1"), "/bin/x".getBytes(), AUXV, RANDOM);
        StackWalker w = new StackWalker(st.image(), st.rsp());
        assertEquals(1, w.argc);
        assertEquals(List.of(""), w.strings(w.argvPointers));
        assertEquals(w.envpPointers.getFirst() - 1, w.argvPointers.getFirst());
    }

    @Test
    void callerMistakesAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> InitialStack.build(TOP, bytes("a\0b"), List.of(), "/x".getBytes(), AUXV, RANDOM));
        assertThrows(IllegalArgumentException.class,
                () -> InitialStack.build(TOP, bytes("a"), List.of(), "/x".getBytes(), AUXV, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> InitialStack.build(TOP, bytes("a"), List.of(),
                "/x".getBytes(), List.of(new AuxEntry(AuxEntry.AT_RANDOM, 0)), RANDOM));
        assertThrows(IllegalArgumentException.class,
                () -> InitialStack.build(TOP + 8, bytes("a"), List.of(), "/x".getBytes(), AUXV, RANDOM));
        assertThrows(IllegalArgumentException.class,
                () -> InitialStack.build(256, bytes("a"), List.of(), "/x".getBytes(), AUXV, RANDOM));
    }

    // ---- E2BIG; the boundaries are the ones measured natively ----

    @Test
    void singleStringLimit() {
        byte[] max = new byte[ArgLimits.MAX_ARG_STRLEN - 1];
        Arrays.fill(max, (byte) 'a');
        byte[] over = Arrays.copyOf(max, max.length + 1);
        Arrays.fill(over, (byte) 'a');
        InitialStack.build(TOP, List.of(max), List.of(), "/x".getBytes(), AUXV, RANDOM);
        InitialStack.build(TOP, List.of(), List.of(max), "/x".getBytes(), AUXV, RANDOM);
        assertE2big(() -> InitialStack.build(TOP, List.of(over), List.of(), "/x".getBytes(), AUXV, RANDOM));
        assertE2big(() -> InitialStack.build(TOP, bytes("a"), List.of(over), "/x".getBytes(), AUXV, RANDOM));
        assertE2big(() -> InitialStack.build(TOP, bytes("a"), List.of(), over, AUXV, RANDOM));
    }

    @Test
    void totalLimitIsAQuarterOfRlimitStack() {
        assertEquals(2 << 20, ArgLimits.limit(8 << 20));
        assertEquals(256 << 10, ArgLimits.limit(1 << 20));
        assertEquals(128 << 10, ArgLimits.limit(256 << 10));
        assertEquals(6 << 20, ArgLimits.limit(100_000_000L));
        assertEquals(6 << 20, ArgLimits.limit(-1)); // RLIM_INFINITY
    }

    @Test
    void totalLimitBoundary() {
        // Native: execve("/bin/true") with 20 strings of 100000 bytes and a last one of 96953
        // works under an 8 MiB RLIMIT_STACK, 96954 fails: strings + NULs + 8 per pointer = 2 MiB.
        byte[] execfn = "/bin/true".getBytes();
        assertEquals(ArgLimits.limit(8 << 20), 10 + 20 * 100_001 + 96_954 + 8 * 21);
        InitialStack ok = InitialStack.build(TOP, argv(20, 100_000, 96_953), List.of(), execfn, AUXV, RANDOM);
        assertEquals(21, new StackWalker(ok.image(), ok.rsp()).argc);
        assertE2big(() -> InitialStack.build(TOP, argv(20, 100_000, 96_954), List.of(), execfn, AUXV, RANDOM));
        // envp counts the same way; here 100 empty strings take 100 * (1 + 8) bytes.
        List<byte[]> env = new ArrayList<>();
        for (int i = 0; i < 100; i++) env.add(new byte[0]);
        InitialStack.build(TOP, argv(20, 100_000, 96_053), env, execfn, AUXV, RANDOM);
        assertE2big(() -> InitialStack.build(TOP, argv(20, 100_000, 96_054), env, execfn, AUXV, RANDOM));
        // A 1 MiB RLIMIT_STACK leaves 256 KiB (native: 4 * 50000 + 62089 with 5 strings).
        InitialStack.build(TOP, argv(4, 50_000, 62_089), List.of(), execfn, AUXV, RANDOM, 1 << 20);
        assertE2big(() -> InitialStack.build(TOP, argv(4, 50_000, 62_090), List.of(), execfn, AUXV, RANDOM, 1 << 20));
    }

    @Test
    void tooManyPointers() {
        List<byte[]> env = new ArrayList<>();
        for (int i = 0; i < (2 << 20) / 8; i++) env.add(new byte[0]);
        assertE2big(() -> InitialStack.build(TOP, bytes("a"), env, "/x".getBytes(), AUXV, RANDOM));
    }

    private static List<byte[]> argv(int n, int len, int lastLen) {
        List<byte[]> argv = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            byte[] s = new byte[i == n ? lastLen : len];
            Arrays.fill(s, (byte) 'a');
            argv.add(s);
        }
        return argv;
    }

    private static void assertE2big(Executable e) {
        assertEquals(Errno.E2BIG, assertThrows(LinuxException.class, e).errno());
    }

    // ---- byte for byte against Linux on the host ----

    @Test
    void sameImageAsLinuxStaticGlibc() {
        compareWithNative(NativeTools.compile("gcc", "stackdump.c", dir, "stackdump-static", "-static"));
    }

    @Test
    void sameImageAsLinuxStaticMusl() {
        compareWithNative(NativeTools.compile("musl-gcc", "stackdump.c", dir, "stackdump-musl", "-static"));
    }

    @Test
    void sameImageAsLinuxPie() {
        compareWithNative(NativeTools.compile("gcc", "stackdump.c", dir, "stackdump-pie", "-pie", "-fPIE"));
    }

    /**
     * Runs {@code exe} natively, then builds the stack from the same inputs (the auxv values
     * that do not point into the stack, the random bytes) and expects the very same bytes.
     */
    private static void compareWithNative(Path exe) {
        for (int variant = 0; variant < 3; variant++) {
            List<String> argv = new ArrayList<>(List.of(exe.toString()));
            List<String> envp = new ArrayList<>();
            for (int i = 0; i < variant * 3; i++) argv.add("arg" + "x".repeat(i));
            for (int i = 0; i < variant * 2 + 1; i++) envp.add("VAR" + i + "=" + "y".repeat(i * 5));
            if (variant == 2) argv.add(""); // an empty argument
            NativeDump n = NativeDump.run(exe, argv, envp);
            StackWalker w = n.walker();
            List<AuxEntry> given = w.auxv.stream().filter(e -> e.type() != AuxEntry.AT_RANDOM
                    && e.type() != AuxEntry.AT_EXECFN && e.type() != AuxEntry.AT_PLATFORM
                    && e.type() != AuxEntry.AT_NULL).toList();
            byte[] random = w.bytes(w.aux(AuxEntry.AT_RANDOM), 16);
            InitialStack st = InitialStack.build(n.top, InitialStack.utf8(argv), InitialStack.utf8(envp),
                    exe.toString().getBytes(StandardCharsets.UTF_8), given, random);
            assertEquals(Long.toHexString(n.rsp), Long.toHexString(st.rsp()), "variant " + variant);
            assertArrayEquals(n.image, st.image(), "variant " + variant);
            assertEquals(w.auxv, st.auxv());
            assertEquals(n.argStart, st.argStart());
            assertEquals(n.argEnd, st.argEnd());
            assertEquals(n.envStart, st.envStart());
            assertEquals(n.envEnd, st.envEnd());
        }
    }
}
