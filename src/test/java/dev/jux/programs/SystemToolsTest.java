package dev.jux.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * procps and coreutils from the host read Jux's /proc and /sys: ps -ef, ps -o, top -b -n1,
 * free, uptime and id run in one guest (a shell with a background sleep) with --memory 1G,
 * and what they print must be sensible and agree with each other and with the guest: no
 * "Unable to ..." complaint, ps shows the guest's processes with the shell as the parent of
 * its children, top counts as many tasks as it lists, free's total is the guest's memory.
 * The values are Jux's own, so there is no native run to compare with.
 */
class SystemToolsTest {
    private static final Path CLASSES = Path.of(System.getProperty("user.dir")).resolve("target/classes");
    private static final String SCRIPT = String.join("\n",
            "sleep 30 &",
            "echo \"shell $$ sleep $!\"",
            "echo '== ps -ef'; ps -ef",
            "echo '== ps -o'; ps -o pid,ppid,stat,comm",
            "echo '== top'; top -b -n1",
            "echo '== free'; free",
            "echo '== uptime'; uptime",
            "echo '== id'; id",
            "echo '== end'",
            "kill $!",
            "");

    @TempDir
    static Path dir;

    private static String stdout, stderr, kernelLog;
    private static int status;
    private static final Map<String, List<String>> sections = new LinkedHashMap<>();
    private static int shellPid, sleepPid;

    @BeforeAll
    static void runTools() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        assumeTrue(Files.isRegularFile(CLASSES.resolve("dev/jux/cli/Main.class")), "Jux is not built");
        for (String tool : List.of("/usr/bin/ps", "/usr/bin/top", "/usr/bin/free", "/usr/bin/uptime", "/usr/bin/id")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed");
        }
        Path script = dir.resolve("tools.sh"), log = dir.resolve("kernel.log");
        Files.writeString(script, SCRIPT);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main", "run",
                "--log", log.toString(), "--memory", "1G", "--mount", dir + ":/w", "--",
                "/bin/sh", "/w/tools.sh"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("TERM", "dumb");
        pb.environment().put("COLUMNS", "200");
        Path out = dir.resolve("out"), err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + Files.readString(err));
        }
        status = p.exitValue();
        stdout = Files.readString(out, StandardCharsets.UTF_8);
        stderr = Files.readString(err, StandardCharsets.UTF_8);
        kernelLog = Files.exists(log) ? Files.readString(log) : "";
        String current = "";
        for (String line : stdout.split("\n")) {
            if (line.startsWith("== ")) {
                current = line.substring(3);
                sections.put(current, new ArrayList<>());
            } else if (line.startsWith("shell ")) {
                String[] w = line.split(" ");
                shellPid = Integer.parseInt(w[1]);
                sleepPid = Integer.parseInt(w[3]);
            } else if (!current.isEmpty()) {
                sections.get(current).add(line);
            }
        }
    }

    private static List<String> section(String name) {
        List<String> s = sections.get(name);
        assertNotNull(s, "no output of " + name + ":\n" + stdout + "\nstderr:\n" + stderr);
        return s;
    }

    @Test
    void everyToolRanWithoutComplaint() {
        assertEquals(0, status, stderr);
        assertFalse(kernelLog.contains("OOPS"), kernelLog);
        assertTrue(sections.containsKey("end"), stdout + "\nstderr:\n" + stderr);
        assertFalse(stdout.contains("Unable to"), stdout);
        for (String line : stderr.split("\n")) {
            // libnuma's complaint about sched_getaffinity is not about /proc (the scheduling calls are issue 5's).
            if (line.isBlank() || line.startsWith("libnuma: Warning: Unable to determine max cpu")) continue;
            throw new AssertionError("unexpected stderr: " + line + "\n" + stderr);
        }
    }

    /** ps -ef: pid 1 is the shell (parent 0), the sleep and ps are its children, every line has its 8 columns. */
    @Test
    void psShowsTheGuestsProcessesAndTheirParents() {
        List<String> ps = section("ps -ef");
        assertTrue(ps.get(0).matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD"), ps.get(0));
        Map<Integer, String[]> byPid = new LinkedHashMap<>();
        for (String line : ps.subList(1, ps.size())) {
            String[] f = line.trim().split(" +", 8);
            assertEquals(8, f.length, line);
            assertTrue(f[4].matches("\\d\\d:\\d\\d"), "STIME " + line);
            assertTrue(f[6].matches("\\d\\d:\\d\\d:\\d\\d"), "TIME " + line);
            byPid.put(Integer.parseInt(f[1]), f);
        }
        assertEquals(1, shellPid);
        assertEquals("0", byPid.get(1)[2]);
        assertTrue(byPid.get(1)[7].startsWith("/bin/sh /w/tools.sh"), byPid.get(1)[7]);
        assertEquals("1", byPid.get(sleepPid)[2]);
        assertEquals("sleep 30", byPid.get(sleepPid)[7]);
        assertTrue(byPid.values().stream().anyMatch(f -> f[7].equals("ps -ef") && f[2].equals("1")), ps.toString());
        assertEquals(3, byPid.size(), "the shell, the sleep and ps: " + ps);
    }

    @Test
    void psStatesAndCommandNames() {
        List<String> ps = section("ps -o");
        assertTrue(ps.get(0).trim().matches("PID +PPID +STAT +COMMAND"), ps.get(0));
        Map<String, String[]> byComm = new LinkedHashMap<>();
        for (String line : ps.subList(1, ps.size())) {
            String[] f = line.trim().split(" +");
            byComm.put(f[3], f);
        }
        // The shell leads its session (s) and sleeps in wait; sleep sleeps; ps runs.
        assertEquals("Ss", byComm.get("dash") != null ? byComm.get("dash")[2] : byComm.get("sh")[2]);
        assertEquals("S", byComm.get("sleep")[2]);
        assertEquals(Integer.toString(sleepPid), byComm.get("sleep")[0]);
        assertEquals("R", byComm.get("ps")[2]);
        assertEquals("1", byComm.get("ps")[1]);
    }

    /** top: its task count equals the tasks it lists; its own line has memory figures and a CPU share. */
    @Test
    void topCountsTheTasksItLists() {
        List<String> top = section("top");
        Matcher tasks = Pattern.compile("Tasks: +(\\d+) total, +(\\d+) running, +(\\d+) sleeping, +(\\d+) stopped, +(\\d+) zombie").matcher(String.join("\n", top));
        assertTrue(tasks.find(), top.toString());
        int header = -1;
        for (int k = 0; k < top.size(); k++) if (top.get(k).trim().startsWith("PID USER")) header = k;
        assertTrue(header > 0, top.toString());
        List<String> rows = top.subList(header + 1, top.size()).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(Integer.parseInt(tasks.group(1)), rows.size(), top.toString());
        int running = Integer.parseInt(tasks.group(2)), sleeping = Integer.parseInt(tasks.group(3));
        assertEquals(rows.size(), running + sleeping, top.toString());
        String self = rows.stream().filter(l -> l.endsWith(" top")).findFirst().orElseThrow(() -> new AssertionError(top.toString()));
        String[] f = self.trim().split(" +");
        // PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND
        assertTrue(Long.parseLong(f[4]) > 0 && Long.parseLong(f[5]) > 0, "VIRT and RES of top: " + self);
        assertEquals("R", f[7], self);
        assertTrue(f[8].matches("\\d+\\.\\d"), "%CPU: " + self);
        assertTrue(String.join("\n", top).contains("MiB Mem :   1024.0 total"), top.toString());
    }

    @Test
    void freeShowsTheGuestsMemory() {
        List<String> free = section("free");
        String[] mem = free.stream().filter(l -> l.startsWith("Mem:")).findFirst().orElseThrow().trim().split(" +");
        assertEquals("1048576", mem[1], "total = --memory 1G in KiB: " + free);
        long total = Long.parseLong(mem[1]), used = Long.parseLong(mem[2]), freeKb = Long.parseLong(mem[3]);
        assertTrue(used > 0 && freeKb > 0 && used + freeKb <= total, free.toString());
    }

    @Test
    void uptimeAndId() {
        String up = section("uptime").get(0);
        assertTrue(up.matches(" \\d\\d:\\d\\d:\\d\\d up +\\d+ min, +\\d+ users?, +load average: \\d+\\.\\d\\d, \\d+\\.\\d\\d, \\d+\\.\\d\\d"), up);
        assertEquals("uid=0(root) gid=0(root) groups=0(root)", section("id").get(0));
    }
}
