package dev.jux.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bash on Jux's console in a real terminal: a detached tmux session (its own server socket)
 * runs jux, keys go in with send-keys, the screen comes back with capture-pane. Checks line
 * editing, Ctrl-C, Ctrl-Z/jobs/fg, stty, ttyname, and that the host terminal is sane after exit.
 */
class ConsoleTmuxTest {
    private static final Path TMUX = Path.of("/usr/bin/tmux");
    private static final Path CLASSES = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/classes");
    private final String socket = "jux-test-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @AfterEach
    void killServer() throws Exception {
        tmux("kill-server");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TMUX.toString(), "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-t", "t", "-S", "-500");
    }

    private String await(String what, Predicate<String> done, long seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String s = screen();
        while (!done.test(s)) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what + "; screen:\n" + s);
            Thread.sleep(100);
            s = screen();
        }
        return s;
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    /** Waits until the screen shows {@code prompts} prompts in all. */
    private String prompts(int prompts) throws Exception {
        return await(prompts + " prompts", s -> count(s, "jux$") >= prompts, 20);
    }

    @Test
    void bashOnTheConsole() throws Exception {
        assumeTrue(Files.isExecutable(TMUX), "tmux is not installed");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no /bin/bash");
        Path sane = dir.resolve("stty-after");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jux = "env PS1='jux$ ' " + javaBin + " --enable-native-access=ALL-UNNAMED -cp " + CLASSES
                + " dev.jux.cli.Main run -- /bin/bash --norc --noprofile";
        String script = jux + "; echo JUX-EXIT $?; stty -a > " + sane + "; sleep 60";
        tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "40", "sh", "-c", script);
        tmux("set-option", "-t", "t", "history-limit", "5000");

        String s = prompts(1);
        keys("echo hel", "lo", "Enter");
        s = prompts(2);
        assertTrue(s.contains("\nhello\n"), s);

        // A typo fixed with backspace.
        keys("echo tpyo", "BSpace", "BSpace", "BSpace", "ypo-fixed", "Enter");
        s = prompts(3);
        assertTrue(s.contains("\ntypo-fixed\n"), s);

        // Ctrl-C ends a foreground sleep at once.
        keys("sleep 100", "Enter");
        Thread.sleep(500);
        long start = System.nanoTime();
        keys("C-c");
        s = prompts(4);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "Ctrl-C took too long");
        assertTrue(s.contains("sleep 100\n^C\n") || s.contains("sleep 100\n^C"), s);

        // stty changes the console's settings; stty -a and size show them.
        keys("stty rows 33 cols 91; stty size; stty -a | grep -o -- '-echoprt'", "Enter");
        s = prompts(5);
        assertTrue(s.contains("\n33 91\n"), s);
        keys("stty -echo", "Enter");
        prompts(6);
        keys("echo secret-$((6*7))", "Enter");
        s = prompts(7);
        assertTrue(s.contains("\nsecret-42\n") && !s.contains("echo secret-"), s);
        keys("stty echo; stty -a | grep -c ' echo '", "Enter");
        s = prompts(8);

        // The console is /dev/console and the controlling terminal.
        keys("tty; test -r /dev/tty && echo has-ctty", "Enter");
        s = prompts(9);
        assertTrue(s.contains("\n/dev/console\n"), s);
        assertTrue(s.contains("\nhas-ctty\n"), s);

        // Ctrl-Z stops cat, jobs lists it, fg continues it, Ctrl-D ends it.
        keys("cat", "Enter");
        Thread.sleep(500);
        keys("line-one", "Enter");
        await("cat's echo", t -> count(t, "line-one") >= 2, 10);
        keys("C-z");
        s = prompts(10);
        assertTrue(s.contains("Stopped"), s);
        keys("jobs", "Enter");
        s = prompts(11);
        assertTrue(count(s, "Stopped") >= 2, s);
        keys("fg", "Enter");
        await("fg", t -> t.contains("jux$ fg\ncat\n"), 10);
        keys("line-two", "Enter");
        await("cat's echo", t -> count(t, "line-two") >= 2, 10);
        keys("C-d");
        prompts(12);

        // A background read stops the job (SIGTTIN).
        keys("cat &", "Enter");
        prompts(13);
        Thread.sleep(500);
        keys("jobs; kill -9 %1", "Enter");
        s = prompts(14);
        assertTrue(s.contains("Stopped                 cat"), s);

        // The host window's new size reaches the guest (SIGWINCH to the foreground group).
        keys("trap 'echo got-winch' WINCH", "Enter");
        prompts(15);
        tmux("resize-window", "-t", "t", "-x", "90", "-y", "35");
        await("SIGWINCH", t -> t.contains("got-winch"), 10);
        keys("stty size", "Enter");
        s = prompts(16);   // the trap ran at the prompt: no new prompt for it
        assertTrue(s.contains("\n35 90\n"), s);

        // A full-screen program on the console: vi (or less) shows a file and quits.
        boolean vi = Files.isExecutable(Path.of("/usr/bin/vi"));
        if (vi || Files.isExecutable(Path.of("/usr/bin/less"))) {
            keys("printf 'jux-full-screen-line\\n' > /tmp/screen.txt", "Enter");
            prompts(17);
            keys(vi ? "vi -u NONE /tmp/screen.txt" : "less /tmp/screen.txt", "Enter");
            await(vi ? "vi" : "less", t -> t.contains("jux-full-screen-line") && t.contains(vi ? "screen.txt\" 1" : "(END)"), 20);
            if (vi) keys(":q", "Enter");
            else keys("q");
            s = prompts(18);
            assertTrue(s.contains("jux$ " + (vi ? "vi" : "less") + " "), s);
        }

        keys("exit 3", "Enter");
        s = await("jux's exit", t -> t.contains("JUX-EXIT 3"), 20);
        await("stty -a", t -> Files.exists(sane), 10);
        Thread.sleep(300);
        String after = Files.readString(sane);
        // The host terminal is back in cooked mode: canonical, echo, signals, output processing.
        for (String flag : List.of("icanon", "echo", "isig", "opost", "icrnl")) {
            assertTrue(java.util.regex.Pattern.compile("(^|\\s)" + flag + "(\\s|$)", java.util.regex.Pattern.MULTILINE).matcher(after).find(),
                    "host terminal not restored (" + flag + "):\n" + after);
        }
    }
}
