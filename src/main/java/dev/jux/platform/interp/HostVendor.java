package dev.jux.platform.interp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whose choices the interpreter makes where the architecture leaves a result undefined: the
 * host CPU's vendor's, as issue 7 asks ("undefined flags as the host CPU leaves them"), so
 * a program that prints such a flag prints what it prints natively. Intel and AMD differ
 * (found by running every case of the instruction tests on both; docs/platform-interp.md
 * lists the rules):
 * <ul>
 *   <li>shifts and rotates by more than 1, SHLD/SHRD: OF (Intel: as for a count of 1, from
 *       the operand before the shift; AMD: from the result), AF (Intel clears it, AMD sets
 *       it), 16-bit SHLD/SHRD by more than 16, RCL/RCR by a multiple of 9 or 17;</li>
 *   <li>MUL/IMUL's SF, ZF, AF, PF (Intel: from the low half, ZF and AF clear; AMD: kept),
 *       DIV/IDIV's six flags (Intel: kept; AMD: CF OF kept, AF set, the others cleared),
 *       TZCNT/LZCNT's OF (Intel clears it, AMD keeps it);</li>
 *   <li>which NaN each lane of DPPS/DPPD returns (the order of the additions), and the
 *       flags a REPE/REPNE CMPS/SCAS leaves when it faults after some iterations.</li>
 * </ul>
 * The host is Intel when /proc/cpuinfo says GenuineIntel; anything else (an AMD host, a
 * host that is not x86, no /proc) gets AMD's choices, the documented default, matching
 * CPUID's vendor ({@link CpuidModel#VENDOR}). {@code -Djux.interp.vendor=intel|amd} overrides.
 * A static final, so the JIT folds every test of it away.
 */
final class HostVendor {
    /** True: Intel's choices; false: AMD's. */
    static final boolean INTEL = intel();

    private HostVendor() {}

    private static boolean intel() {
        String forced = System.getProperty("jux.interp.vendor");
        if (forced != null) return forced.equalsIgnoreCase("intel");
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("vendor_id")).findFirst()
                    .map(l -> l.contains("GenuineIntel")).orElse(false);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
