package dev.jux.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
    private static RunOptions parse(String... args) throws UsageException {
        return RunOptions.parse(List.of(args));
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaults() throws UsageException {
        RunOptions o = parse("/bin/true");
        assertFalse(o.strace());
        assertEquals(4L << 30, o.memoryBytes());
        assertEquals("auto", o.platform());
        assertEquals(List.of("/bin/true"), o.command());
    }

    @Test
    void noJitTurnsTheInterpretersJitOff() throws UsageException {
        assertTrue(parse("prog").jit());
        assertFalse(parse("--platform", "interp", "--no-jit", "prog").jit());
        assertTrue(usageError("--no-jit=1", "prog").contains("takes no value"));
    }

    @Test
    void cpusIsAnIntegerFromOneToTheHostsCores() throws UsageException {
        assertEquals(0, parse("prog").cpus());
        assertEquals(1, parse("--cpus", "1", "prog").cpus());
        int host = dev.jux.kernel.Kernel.hostCpus();
        assertEquals(host, parse("--cpus=" + host, "prog").cpus());
        for (String bad : List.of("0", "-1", "x", "1.5", "" + (host + 1))) {
            assertTrue(usageError("--cpus", bad, "prog").startsWith("bad value '" + bad + "' for --cpus: an integer from 1 to " + host), bad);
        }
    }

    @Test
    void platformsAreKvmInterpAndAuto() throws UsageException {
        assertEquals("interp", parse("--platform", "interp", "prog").platform());
        assertEquals("auto", parse("--platform=auto", "prog").platform());
        assertEquals("kvm", parse("--platform=kvm", "prog").platform());
    }

    @Test
    void optionsTakeTheirValueJoinedOrSeparate() throws UsageException {
        RunOptions o = parse("--strace", "--memory=512M", "--log", "/tmp/k.log", "--", "prog", "a");
        assertTrue(o.strace());
        assertEquals(512L << 20, o.memoryBytes());
        assertEquals("/tmp/k.log", o.logFile());
        assertEquals(List.of("prog", "a"), o.command());
        assertEquals(8L << 30, parse("--memory", "8G", "prog").memoryBytes());
    }

    @Test
    void everythingFromTheProgramOnBelongsToTheProgram() throws UsageException {
        assertEquals(List.of("prog", "--strace", "--"), parse("prog", "--strace", "--").command());
        assertEquals(List.of("--strace"), parse("--", "--strace").command());
        assertEquals(List.of("-", "x"), parse("-", "x").command());
        assertFalse(parse("prog", "--strace").strace());
    }

    @Test
    void sizesAcceptUnitsAndStayWithinBounds() throws UsageException {
        assertEquals(64L << 20, RunOptions.parseSize("64m"));
        assertEquals(2L << 30, RunOptions.parseSize("2GiB"));
        assertEquals(1L << 40, RunOptions.parseSize("1T"));
        assertEquals(100_000_000L & -4096L, RunOptions.parseSize("100000000"));
        assertEquals("--memory must be between 64M and 1T", usageError("--memory", "63M", "prog"));
        assertEquals("--memory must be between 64M and 1T", usageError("--memory", "2T", "prog"));
        assertEquals("bad size '1.5G' for --memory", usageError("--memory", "1.5G", "prog"));
        assertEquals("bad size '' for --memory", usageError("--memory=", "prog"));
        assertEquals("bad size '99999999999T' for --memory", usageError("--memory=99999999999T", "prog"));
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertEquals("no program given", usageError());
        assertEquals("no program given", usageError("--strace", "--"));
        assertEquals("option '--log' needs a value", usageError("--log"));
        assertEquals("unknown option '-x'", usageError("-x", "prog"));
        assertEquals("unknown platform 'qemu' (available: kvm, interp, auto)", usageError("--platform=qemu", "prog"));
        assertEquals("option '--strace' takes no value", usageError("--strace=yes", "prog"));
    }

    @Test
    void userIsANameOrNumberWithAnOptionalGroup() throws UsageException {
        assertEquals(null, parse("prog").user());
        assertEquals(new GuestUser("1000", null), parse("--user", "1000", "prog").user());
        assertEquals(new GuestUser("nobody", "users"), parse("--user=nobody:users", "prog").user());
        assertEquals(new GuestUser("0", "4294967294"), parse("--user=0:4294967294", "prog").user());
        assertTrue(usageError("--user", "", "prog").startsWith("bad value '' for --user"));
        assertTrue(usageError("--user", "1000:", "prog").startsWith("bad value '1000:' for --user"));
        assertTrue(usageError("--user", ":5", "prog").startsWith("bad value ':5' for --user"));
        assertTrue(usageError("--user", "4294967295", "prog").contains("ids go from 0 to 4294967294"));
        assertTrue(usageError("--user", "1:99999999999", "prog").contains("ids go from 0"));
    }
}
