package dev.jux.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The sorted, non-overlapping set of a process's VMAs, with splitting and gap search. */
final class VmaMap {
    private final TreeMap<Long, Vma> byStart = new TreeMap<>();

    Vma find(long address) {
        Map.Entry<Long, Vma> e = byStart.floorEntry(address);
        return e != null && e.getValue().contains(address) ? e.getValue() : null;
    }

    /** The first VMA that starts above {@code address}, or null. */
    Vma above(long address) {
        Map.Entry<Long, Vma> e = byStart.higherEntry(address);
        return e != null ? e.getValue() : null;
    }

    /** The last VMA that starts below {@code address}, or null. */
    Vma below(long address) {
        Map.Entry<Long, Vma> e = byStart.lowerEntry(address);
        return e != null ? e.getValue() : null;
    }

    List<Vma> overlapping(long start, long end) {
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = byStart.floorEntry(start);
        Long from = first != null && first.getValue().end() > start ? first.getKey() : start;
        for (Vma v : byStart.subMap(from, true, end, false).values()) {
            if (v.end() > start) out.add(v);
        }
        return out;
    }

    void insert(Vma v) {
        if (!overlapping(v.start(), v.end()).isEmpty()) throw new IllegalStateException("overlapping VMA " + v);
        put(v);
    }

    /** Every VMA in the map counts as one user of its shared object (see {@link SharedPages}). */
    private void put(Vma v) {
        if (v.shared() != null) {
            v.shared().vmaAdded();
            if (mayWrite(v)) v.shared().addWriters(1);
        }
        byStart.put(v.start(), v);
    }

    /**
     * Cuts [start, end) out of every VMA it touches, keeping the parts outside; returns the
     * removed pieces (already clipped to the range).
     */
    List<Vma> carve(long start, long end) {
        return cut(start, end, null);
    }

    /**
     * Replaces the part of every VMA inside [start, end) by {@code change} of it (the parts
     * outside stay); returns the new VMAs. Each new VMA enters before the old one leaves, so
     * a shared object never sees its count of VMAs drop to 0 in between.
     */
    List<Vma> rewrite(long start, long end, java.util.function.UnaryOperator<Vma> change) {
        return cut(start, end, change);
    }

    private List<Vma> cut(long start, long end, java.util.function.UnaryOperator<Vma> change) {
        List<Vma> out = new ArrayList<>();
        for (Vma v : overlapping(start, end)) {
            byStart.remove(v.start());
            if (v.start() < start) put(v.withRange(v.start(), start));
            if (v.end() > end) put(v.withRange(end, v.end()));
            Vma inside = v.withRange(Math.max(v.start(), start), Math.min(v.end(), end));
            if (change != null) {
                inside = change.apply(inside);
                put(inside);
            }
            // Detached after the pieces attach, so that a split never closes the shared object.
            if (v.shared() != null) {
                if (mayWrite(v)) v.shared().addWriters(-1);
                v.shared().vmaRemoved();
            }
            out.add(inside);
        }
        return out;
    }

    /** Linux's VM_MAYWRITE for a shared mapping: its file was open for writing (or it is anonymous). */
    private static boolean mayWrite(Vma v) {
        return (v.flags() & Vma.NO_WRITE) == 0;
    }

    /** True if every byte of [start, end) is inside some VMA. */
    boolean covers(long start, long end) {
        return mappedUpTo(start, end) >= end;
    }

    /**
     * Where the run of mapped pages that begins at {@code start} ends, at most {@code end}:
     * {@code start} itself if it is unmapped.
     */
    long mappedUpTo(long start, long end) {
        long at = start;
        for (Vma v : overlapping(start, end)) {
            if (v.start() > at) break;
            at = Math.min(v.end(), end);
        }
        return at;
    }

    /** The highest free gap of {@code length} bytes ending at or below {@code ceiling}, or -1. */
    long findGapBelow(long ceiling, long length, long floor) {
        long top = ceiling;
        for (Vma v : byStart.descendingMap().values()) {
            if (v.start() >= top) continue;                 // entirely above the ceiling
            if (v.end() <= top && top - v.end() >= length) {
                return top - length >= floor ? top - length : -1;
            }
            top = v.start();
        }
        return top - length >= floor ? top - length : -1;
    }

    Iterable<Vma> all() {
        return byStart.values();
    }
}
