package dev.jux.kernel;

import dev.jux.mm.Vma;

/** The VmFlags line of /proc/PID/smaps: Linux's two-letter mnemonics, in the order of its vm_flags bits. */
final class VmFlags {
    private VmFlags() {}

    static String of(Vma v) {
        int f = v.flags();
        boolean shared = (f & Vma.SHARED) != 0;
        StringBuilder sb = new StringBuilder();
        if ((v.prot() & Vma.READ) != 0) sb.append("rd ");
        if ((v.prot() & Vma.WRITE) != 0) sb.append("wr ");
        if ((v.prot() & Vma.EXEC) != 0) sb.append("ex ");
        if (shared) sb.append("sh ");
        sb.append("mr ");
        if ((f & Vma.NO_WRITE) == 0) sb.append("mw ");
        sb.append("me ");
        if (shared) sb.append("ms ");
        if ((f & Vma.GROWS_DOWN) != 0) sb.append("gd ");
        if ((f & Vma.LOCKED) != 0) sb.append("lo ");
        if ((f & Vma.SEQ_READ) != 0) sb.append("sr ");
        if ((f & Vma.RAND_READ) != 0) sb.append("rr ");
        if ((f & Vma.DONT_FORK) != 0) sb.append("dc ");
        if ((f & Vma.LOCK_ON_FAULT) != 0) sb.append("lf ");
        // VM_ACCOUNT: private writable memory (and shared anonymous), unless MAP_NORESERVE.
        boolean accounted = shared ? v.file() == null : (v.prot() & Vma.WRITE) != 0;
        if (accounted && (f & Vma.NORESERVE) == 0) sb.append("ac ");
        if ((f & Vma.NORESERVE) != 0) sb.append("nr ");
        if ((f & Vma.WIPE_ON_FORK) != 0) sb.append("wf ");
        if ((f & Vma.DONT_DUMP) != 0) sb.append("dd ");
        if ((f & Vma.HUGEPAGE) != 0) sb.append("hg ");
        if ((f & Vma.NOHUGEPAGE) != 0) sb.append("nh ");
        return sb.toString().trim();
    }
}
