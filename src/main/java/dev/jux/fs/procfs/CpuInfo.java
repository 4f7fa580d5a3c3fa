package dev.jux.fs.procfs;

import dev.jux.host.HostFiles;

/**
 * /proc/cpuinfo for a guest of N CPUs: the host's first processor block N times, numbered
 * 0..N-1 as one package of N cores (processor, core id and the APIC ids follow the number;
 * siblings and cpu cores are N), so tools counting "processor" lines find N.
 */
final class CpuInfo {
    private CpuInfo() {}

    static String text(int cpus) {
        String host = HostFiles.readHostText("/proc/cpuinfo");
        String first = "processor\t: 0\n";
        if (host != null) {
            int end = host.indexOf("\n\n");
            first = end < 0 ? host : host.substring(0, end + 1);
        }
        StringBuilder sb = new StringBuilder();
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (String line : first.split("\n")) {
                String key = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : line.trim();
                switch (key) {
                    case "processor", "core id", "apicid", "initial apicid" -> sb.append(key).append(tabs(key)).append(": ").append(cpu).append('\n');
                    case "siblings", "cpu cores" -> sb.append(key).append(tabs(key)).append(": ").append(cpus).append('\n');
                    default -> sb.append(line).append('\n');
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Linux aligns cpuinfo keys with tabs to 16 columns ("processor\t: 0", "cpu cores\t: 4"). */
    private static String tabs(String key) {
        return key.length() < 8 ? "\t\t" : "\t";
    }
}
