package dev.jux.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Facts about the Jux process itself on the host: its environment in order, the host name. */
public final class HostProcess {
    private HostProcess() {}

    /**
     * Jux's environment as "NAME=value" strings in the order the host gave them
     * (/proc/self/environ); System.getenv() would lose the order a program sees natively.
     */
    public static List<String> environment() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/environ"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    if (i > start) out.add(new String(raw, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException e) {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e2 : System.getenv().entrySet()) out.add(e2.getKey() + "=" + e2.getValue());
            return out;
        }
    }

    public static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
