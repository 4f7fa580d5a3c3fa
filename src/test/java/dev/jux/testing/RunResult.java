package dev.jux.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a process ended. {@code status} is its exit status, or 128+N if signal N killed it (what
 * Java reports for a signalled child, and what Jux returns when its guest dies by a signal).
 */
public record RunResult(int status, byte[] stdout, String stderr, boolean timedOut, Duration elapsed) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
