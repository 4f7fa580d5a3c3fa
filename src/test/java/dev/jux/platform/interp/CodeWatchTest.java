package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.platform.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter sees this CPU's stores to code it trusts however they are made: through the
 * executor's or fast path's {@link PagedMemory} calls, and through a translated block's inline
 * TLB hit ({@link JitMemory}), which can only miss for a watched page because {@link CodeWatch}
 * keeps that page's write tag empty.
 */
class CodeWatchTest {
    private static final long PML4 = 0x1000, PT = 0x4000, CODE = 0x5000, CODE_VA = 0x40_0000;
    /** mov eax, 1 (its imm32 at CODE_VA + 1); then 0xf4 (HLT: never reached, each test steps once). */
    private static final byte[] MOV_EAX_1 = {(byte) 0xb8, 1, 0, 0, 0, (byte) 0xf4};

    private GuestRam ram;
    private PagedMemory memory;
    private final Cpu cpu = new Cpu();

    @BeforeEach
    void setUp() {
        ram = new GuestRam(16 * GuestRam.PAGE, GuestRam.PAGE);
        ram.putLong(PML4, 0x2000 | 7);
        ram.putLong(0x2000, 0x3000 | 7);
        ram.putLong(0x3000 + 8 * 2, PT | 7);
        ram.putLong(PT, CODE | 7);   // code, writable
        ram.putLong(PT + 8, 0x6000 | 7);   // data after it
        for (int i = 0; i < MOV_EAX_1.length; i++) ram.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, CODE + i, MOV_EAX_1[i]);
        memory = new PagedMemory(ram);
        memory.setRoot(PML4);
    }

    @AfterEach
    void close() {
        ram.close();
    }

    private long stepAtCode(Interpreter interp) {
        cpu.rip = CODE_VA;
        interp.step();
        return cpu.r[Cpu.RAX];
    }

    private long writeTag() {
        return memory.tlb()[PagedMemory.entryOf(CODE_VA, memory.tlb().length) + PagedMemory.WRITE];
    }

    @Test
    void aTranslatedBlocksInlineStoreToTrustedCodeIsSeen() {
        memory.write8(CODE_VA + 0x800, 0);   // the TLB now allows writes to the code page
        assertEquals(CODE_VA, writeTag());
        Interpreter interp = new Interpreter(cpu, memory);
        assertEquals(1, stepAtCode(interp));
        assertEquals(PagedMemory.NO_TAG, writeTag(), "a trusted page's write tag is empty");
        assertEquals(1, stepAtCode(interp), "trusted: not compared again");

        JitMemory.write32(memory.tlb(), memory.jitView(), memory, CODE_VA + 1, 2);   // as a translated block stores
        assertEquals(CODE_VA, writeTag(), "the store walked, ended the watch and filled the tag");
        assertEquals(2, stepAtCode(interp), "the patched instruction runs");

        JitMemory.write32(memory.tlb(), memory.jitView(), memory, CODE_VA + 1, 3);
        assertEquals(3, stepAtCode(interp), "watched again after the re-check, and the next store is seen too");
    }

    @Test
    void anInterpretedStoreToTrustedCodeIsSeen() {
        Interpreter interp = new Interpreter(cpu, memory);
        assertEquals(1, stepAtCode(interp));
        memory.write16(CODE_VA + 0xfff, 0);   // a store crossing into the next page: no effect on the code
        assertEquals(1, stepAtCode(interp));
        memory.write8(CODE_VA + 1, 5);
        assertEquals(5, stepAtCode(interp));
    }

    @Test
    void aReadWalkDoesNotArmTheWriteTagOfAWatchedPage() {
        Interpreter interp = new Interpreter(cpu, memory);
        assertEquals(1, stepAtCode(interp));
        memory.flush();
        assertEquals(0xb8, memory.read8(CODE_VA));   // refills the entry for reading
        assertEquals(PagedMemory.NO_TAG, writeTag());
        JitMemory.write8(memory.tlb(), memory.jitView(), memory, CODE_VA + 1, 7);
        assertEquals(7, stepAtCode(interp));
    }

    @Test
    void anotherPageSharingTheSlotEndsTheWatchWithoutLosingStores() {
        Interpreter interp = new Interpreter(cpu, memory);
        assertEquals(1, stepAtCode(interp));
        CodeWatch watch = memory.codeWatch();
        long other = CODE_VA + (long) CodeWatch.WAYS * GuestRam.PAGE;   // same slot, another page
        int slot = watch.watch(other);
        int period = watch.periods[slot];
        assertFalse(watch.watches(CODE_VA >>> 12));
        assertTrue(watch.watches(other >>> 12));
        watch.wrote(CODE_VA >>> 12);
        assertEquals(period, watch.periods[slot], "a store to a page no longer watched leaves the slot's period");
        watch.wrote(other >>> 12);
        assertNotEquals(period, watch.periods[slot]);
        memory.write8(CODE_VA + 1, 9);
        assertEquals(9, stepAtCode(interp), "the code page is compared again when entered");
    }

    @Test
    void everyChangeToAWatchBumpsItsCountAndNoTwoWatchesShareOne() {
        CodeWatch watch = new CodeWatch(null), other = new CodeWatch(null);
        assertTrue(Math.abs(watch.changes - other.changes) >= 1L << 40,
                "a count one CPU leaves in a shared block never equals another CPU's");
        long c = watch.changes;
        int slot = watch.watch(CODE_VA);
        assertNotEquals(c, c = watch.changes, "a page newly watched");
        assertEquals(slot, watch.watch(CODE_VA + 8));
        assertEquals(c, watch.changes, "the same page again: nothing changed");
        watch.wrote(0x1234);
        assertEquals(c, watch.changes, "a write to a page not watched changes nothing");
        watch.wrote(CODE_VA >>> 12);
        assertNotEquals(c, c = watch.changes, "a write to a watched page");
        watch.watch(CODE_VA);
        c = watch.changes;
        watch.watch(CODE_VA + CodeWatch.WAYS * 4096L);
        assertNotEquals(c, c = watch.changes, "a page that takes another's slot");
        watch.forgetAll();
        assertNotEquals(c, watch.changes, "all trust ended");
    }
}
