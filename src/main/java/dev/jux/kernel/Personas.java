package dev.jux.kernel;

import dev.jux.abi.Personality;

/**
 * What a task's personality (kernel/exec_domain.c, per task on Linux: fork and clone copy it)
 * changes in Jux. Linux stores any value personality(2) is given; the bits with an effect here:
 * <ul>
 * <li>PER_LINUX32: uname's machine is "i686"; UNAME26: its release is "2.6.(60 + minor)"
 *     followed by the rest of the real release (override_architecture, override_release).
 * <li>READ_IMPLIES_EXEC: mmap and mprotect add PROT_EXEC to PROT_READ (do_mmap,
 *     do_mprotect_pkey); a 64-bit exec clears it (set_personality_64bit).
 * <li>STICKY_TIMEOUTS: select, pselect6 and ppoll do not write the time left back.
 * <li>ADDR_NO_RANDOMIZE: nothing to do, Jux never randomizes the layout.
 * <li>a set-id exec clears {@link Personality#PER_CLEAR_ON_SETID}.
 * </ul>
 * Not yet: ADDR_COMPAT_LAYOUT (the bottom-up mmap layout from TASK_SIZE / 3) and
 * MMAP_PAGE_ZERO (a read-only page at address 0 after exec) are kept but change no layout.
 */
public final class Personas {
    private Personas() {}

    /** The personality a task has after execve of a 64-bit ELF (setup_new_exec, SET_PERSONALITY). */
    public static int afterExec(int personality, boolean secureExec) {
        int p = personality & ~Personality.READ_IMPLIES_EXEC;
        return secureExec ? p & ~Personality.PER_CLEAR_ON_SETID : p;
    }

    public static boolean readImpliesExec(Task t) {
        return (t.personality() & Personality.READ_IMPLIES_EXEC) != 0;
    }

    public static boolean stickyTimeouts(Task t) {
        return (t.personality() & Personality.STICKY_TIMEOUTS) != 0;
    }

    /** uname's machine field as {@code t} sees it. */
    public static String machine(Task t, String machine) {
        return (t.personality() & Personality.PER_MASK) == Personality.PER_LINUX32 ? "i686" : machine;
    }

    /**
     * uname's release as {@code t} sees it: with UNAME26, "2.6." and 60 plus the real minor
     * version, then the real release from where its leading digits and dots end (at most
     * three dot-separated numbers): 6.12.0-jux becomes 2.6.72-jux.
     */
    public static String release(Task t, String release) {
        if ((t.personality() & Personality.UNAME26) == 0) return release;
        int i = 0, dots = 0;
        while (i < release.length()) {
            char c = release.charAt(i);
            if (c == '.' && ++dots >= 3) break;
            if (!Character.isDigit(c) && c != '.') break;
            i++;
        }
        String[] parts = release.split("\\.");
        int minor = parts.length > 1 ? leadingNumber(parts[1]) : 0;
        return "2.6." + (60 + minor) + release.substring(i);
    }

    private static int leadingNumber(String s) {
        int n = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)) && n < 100000; i++) n = n * 10 + (s.charAt(i) - '0');
        return n;
    }
}
