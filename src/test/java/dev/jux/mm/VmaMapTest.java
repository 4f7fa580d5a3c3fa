package dev.jux.mm;

import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VmaMapTest {
    private final VmaMap map = new VmaMap();

    private static Vma rw(long start, long end) {
        return new Vma(start, end, READ | WRITE, 0, "x");
    }

    private List<Vma> all() {
        List<Vma> out = new ArrayList<>();
        map.all().forEach(out::add);
        return out;
    }

    @Test
    void carvingTheMiddleSplitsAVmaInThree() {
        map.insert(rw(0x10000, 0x20000));
        assertEquals(List.of(rw(0x14000, 0x18000)), map.carve(0x14000, 0x18000));
        assertEquals(List.of(rw(0x10000, 0x14000), rw(0x18000, 0x20000)), all());
        assertNull(map.find(0x14000));
        assertEquals(rw(0x18000, 0x20000), map.find(0x1ffff));
    }

    @Test
    void carvingAcrossSeveralVmasClipsTheEnds() {
        map.insert(rw(0x10000, 0x12000));
        map.insert(new Vma(0x13000, 0x15000, READ, 0, "y"));
        map.insert(rw(0x16000, 0x18000));
        List<Vma> removed = map.carve(0x11000, 0x17000);
        assertEquals(List.of(rw(0x11000, 0x12000), new Vma(0x13000, 0x15000, READ, 0, "y"), rw(0x16000, 0x17000)), removed);
        assertEquals(List.of(rw(0x10000, 0x11000), rw(0x17000, 0x18000)), all());
    }

    @Test
    void overlappingVmasAreRefused() {
        map.insert(rw(0x10000, 0x20000));
        assertThrows(IllegalStateException.class, () -> map.insert(rw(0x1f000, 0x21000)));
        map.insert(rw(0x20000, 0x21000));   // adjacent is fine
    }

    @Test
    void coversSeesHoles() {
        map.insert(rw(0x10000, 0x12000));
        map.insert(rw(0x12000, 0x13000));
        map.insert(rw(0x14000, 0x15000));
        assertTrue(map.covers(0x10000, 0x13000));
        assertTrue(map.covers(0x11000, 0x12800));
        assertFalse(map.covers(0x10000, 0x15000));
        assertFalse(map.covers(0xf000, 0x11000));
        assertFalse(map.covers(0x20000, 0x21000));
    }

    @Test
    void mappedUpToFindsTheEndOfTheRunFromStart() {
        map.insert(rw(0x10000, 0x12000));
        map.insert(rw(0x12000, 0x13000));
        map.insert(rw(0x14000, 0x15000));
        assertEquals(0x13000, map.mappedUpTo(0x11000, 0x15000));
        assertEquals(0x12800, map.mappedUpTo(0x11000, 0x12800));
        assertEquals(0x13800, map.mappedUpTo(0x13800, 0x15000));
    }

    @Test
    void gapsAreFoundTopDown() {
        long ceiling = 0x100000, floor = 0x10000;
        assertEquals(0xfe000, map.findGapBelow(ceiling, 0x2000, floor));
        map.insert(rw(0xfe000, 0x100000));
        assertEquals(0xfc000, map.findGapBelow(ceiling, 0x2000, floor));
        // A one-page hole is skipped for a two-page request, used for a one-page one.
        map.insert(rw(0xf0000, 0xfd000));
        assertEquals(0xfd000, map.findGapBelow(ceiling, 0x1000, floor));
        assertEquals(0xee000, map.findGapBelow(ceiling, 0x2000, floor));
    }

    @Test
    void vmasAboveOrAcrossTheCeilingAreIgnored() {
        map.insert(rw(0x200000, 0x300000));
        map.insert(rw(0xff000, 0x101000));
        assertEquals(0xfd000, map.findGapBelow(0x100000, 0x2000, 0x10000));
    }

    @Test
    void noGapAboveTheFloorIsMinusOne() {
        map.insert(rw(0x20000, 0x100000));
        assertEquals(0x10000, map.findGapBelow(0x100000, 0x10000, 0x10000));
        assertEquals(-1, map.findGapBelow(0x100000, 0x11000, 0x10000));
    }
}
