package dev.jux.fs.procfs;

import java.util.List;

/**
 * /proc/PID/smaps and smaps_rollup: each mapping's maps line followed by its memory use, in
 * the fields and the layout of Linux's show_smap (label padded to 16 columns, the value to 8,
 * "kB"). Jux has no swap, no huge pages and no KSM: those fields are 0.
 */
final class Smaps {
    private Smaps() {}

    static String smaps(ProcessView p) {
        StringBuilder sb = new StringBuilder();
        for (ProcessView.MappingUsage u : p.mappingUsage()) {
            sb.append(ProcFiles.maps(List.of(u.mapping())));
            long size = u.mapping().end() - u.mapping().start();
            field(sb, "Size:", size);
            field(sb, "KernelPageSize:", 4096);
            field(sb, "MMUPageSize:", 4096);
            counters(sb, u.rss(), u.pss(), u.sharedClean(), u.sharedDirty(), u.privateClean(), u.privateDirty(),
                    u.anonymous(), u.locked(), true);
            sb.append("THPeligible:    0\n");
            sb.append("VmFlags: ").append(u.vmFlags()).append(" \n");
        }
        return sb.toString();
    }

    /** smaps_rollup: the sums over every mapping, under one line spanning them all. */
    static String rollup(ProcessView p) {
        List<ProcessView.MappingUsage> all = p.mappingUsage();
        long[] s = new long[8];
        for (ProcessView.MappingUsage u : all) {
            s[0] += u.rss();
            s[1] += u.pss();
            s[2] += u.sharedClean();
            s[3] += u.sharedDirty();
            s[4] += u.privateClean();
            s[5] += u.privateDirty();
            s[6] += u.anonymous();
            s[7] += u.locked();
        }
        long start = all.isEmpty() ? 0 : all.get(0).mapping().start();
        long end = all.isEmpty() ? 0 : all.get(all.size() - 1).mapping().end();
        StringBuilder sb = new StringBuilder();
        sb.append(ProcFiles.maps(List.of(new ProcessView.Mapping(start, end, 0, false, 0, "[rollup]"))));
        counters(sb, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], false);
        return sb.toString();
    }

    private static void counters(StringBuilder sb, long rss, long pss, long sharedClean, long sharedDirty,
                                 long privateClean, long privateDirty, long anonymous, long locked, boolean perVma) {
        field(sb, "Rss:", rss);
        field(sb, "Pss:", pss);
        field(sb, "Pss_Dirty:", sharedDirty + privateDirty > 0 ? Math.min(pss, sharedDirty + privateDirty) : 0);
        if (!perVma) {
            field(sb, "Pss_Anon:", Math.min(pss, anonymous));
            field(sb, "Pss_File:", Math.max(0, pss - anonymous));
            field(sb, "Pss_Shmem:", 0);
        }
        field(sb, "Shared_Clean:", sharedClean);
        field(sb, "Shared_Dirty:", sharedDirty);
        field(sb, "Private_Clean:", privateClean);
        field(sb, "Private_Dirty:", privateDirty);
        field(sb, "Referenced:", rss);
        field(sb, "Anonymous:", anonymous);
        field(sb, "KSM:", 0);
        field(sb, "LazyFree:", 0);
        field(sb, "AnonHugePages:", 0);
        field(sb, "ShmemPmdMapped:", 0);
        field(sb, "FilePmdMapped:", 0);
        field(sb, "Shared_Hugetlb:", 0);
        field(sb, "Private_Hugetlb:", 0);
        field(sb, "Swap:", 0);
        field(sb, "SwapPss:", 0);
        field(sb, "Locked:", locked);
    }

    private static void field(StringBuilder sb, String label, long bytes) {
        sb.append(String.format("%-16s%8d kB\n", label, bytes / 1024));
    }
}
