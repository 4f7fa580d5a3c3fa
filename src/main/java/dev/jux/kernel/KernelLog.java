package dev.jux.kernel;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel log (Linux's dmesg). Kernel bugs are logged as lines containing "OOPS"; tests
 * fail when one appears. Written to a file with {@code --log}, else only oopses reach stderr.
 */
public final class KernelLog {
    private final PrintStream out;
    private final boolean echoOopsToStderr;
    private final long start = System.nanoTime();
    private final Set<String> once = ConcurrentHashMap.newKeySet();
    private volatile int oopses;

    public KernelLog(PrintStream out, boolean echoOopsToStderr) {
        this.out = out;
        this.echoOopsToStderr = echoOopsToStderr;
    }

    private String stamp() {
        double s = (System.nanoTime() - start) / 1e9;
        return String.format("[%12.6f] ", s);
    }

    public void info(String message) {
        if (out != null) synchronized (out) { out.println(stamp() + message); out.flush(); }
    }

    /** Logs a message only the first time {@code key} is seen (e.g. one line per unknown syscall). */
    public void infoOnce(String key, String message) {
        if (once.add(key)) info(message);
    }

    /** A kernel bug: logged with its stack trace; the kernel goes on. */
    public void oops(String what, Throwable cause) {
        oopses++;
        StringWriter trace = new StringWriter();
        if (cause != null) cause.printStackTrace(new PrintWriter(trace));
        String line = "OOPS: " + what + (cause != null ? "\n" + trace : "");
        info(line);
        if (echoOopsToStderr || out == null) {
            System.err.println("jux: kernel " + line);
        }
    }

    public int oopsCount() {
        return oopses;
    }
}
