package dev.jux.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The auxiliary vector the host kernel gave the JVM (/proc/self/auxv). Jux hands the guest the
 * same hardware capabilities (AT_HWCAP, AT_HWCAP2), signal-stack minimum and clock tick, so a
 * program sees what it sees natively on this machine.
 */
public final class HostAuxv {
    private HostAuxv() {}

    private static volatile Map<Long, Long> cache;

    public static long get(long type, long fallback) {
        Map<Long, Long> m = cache;
        if (m == null) cache = m = read();
        return m.getOrDefault(type, fallback);
    }

    private static Map<Long, Long> read() {
        Map<Long, Long> m = new HashMap<>();
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 16) {
                long type = b.getLong(), value = b.getLong();
                if (type == 0) break;
                m.put(type, value);
            }
        } catch (IOException e) {
            // No procfs: callers fall back to defaults.
        }
        return m;
    }
}
