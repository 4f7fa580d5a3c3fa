package dev.jux.platform.interp;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.Vma.EXEC;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static dev.jux.platform.Trap.Kind.EXCEPTION;
import static dev.jux.platform.Trap.Kind.INTERRUPTED;
import static dev.jux.platform.Trap.Kind.SYSCALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.mm.AddressSpace;
import dev.jux.platform.ContextContractTest;
import dev.jux.platform.Platform;
import dev.jux.platform.Trap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The Context contract on the interpreter (needs no /dev/kvm), plus what only a software TLB
 * can get wrong: exact page-fault error codes, page-crossing accesses, stale translations.
 */
class InterpContextTest extends ContextContractTest {
    @Override
    protected Platform createPlatform() {
        return new InterpPlatform(64L << 20);
    }

    // ---- interpreter only: exact error codes, page crossing, the software TLB ----

    @Test
    void pageFaultErrorCodesAreLinuxs() {
        boot(0x89, 0x04, 0x25, 0x00, 0x50, 0x34, 0x12,   // mov [0x12345000], eax
             0x0f, 0x05);                               // syscall
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(PagedMemory.PF_U | PagedMemory.PF_W, t.errorCode(), "a user write to a page not present");
        assertEquals(DATA, t.faultAddress());
        memory.map(DATA, PAGE, RW, FIXED, 0, "data");
        memory.populate(DATA, DATA + PAGE);
        regs.rip = DATA;   // a fetch from a present, no-execute page
        t = cpu.run();
        assertEquals(PagedMemory.PF_P | PagedMemory.PF_U | PagedMemory.PF_ID, t.errorCode());
        regs.rip = DATA + PAGE;   // a fetch from a page not present
        t = cpu.run();
        assertEquals(PagedMemory.PF_U | PagedMemory.PF_ID, t.errorCode());
        assertEquals(DATA + PAGE, t.faultAddress());
    }

    @Test
    void aWriteAcrossIntoAReadOnlyPageChangesNeitherPage() {
        boot(0x48, 0x89, 0x07,   // mov [rdi], rax
             0x0f, 0x05);        // syscall
        memory.map(DATA, PAGE, RW, FIXED, 0, "rw");
        memory.map(DATA + PAGE, PAGE, READ, FIXED, 0, "ro");
        memory.populate(DATA, DATA + 2 * PAGE);
        regs.rdi = DATA + PAGE - 4;
        regs.rax = -1;
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(DATA + PAGE, t.faultAddress(), "CR2 is the first byte in the page that refused");
        assertEquals(7, t.errorCode());
        assertEquals(0, memory.readInt(DATA + PAGE - 4), "the first page was not written either");
        memory.protect(DATA + PAGE, PAGE, RW);
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(-1L, memory.readLong(DATA + PAGE - 4));
    }

    @Test
    void theGsBaseRoundTrips() {
        boot(0x65, 0x48, 0x8b, 0x04, 0x25, 0x10, 0, 0, 0,   // mov rax, gs:[0x10]
             0x0f, 0x05);                                  // syscall
        memory.map(DATA, PAGE, RW, FIXED, 0, "tls");
        memory.writeLong(DATA + 0x10, 0xabcdef);
        regs.gsBase = DATA;
        regs.fsBase = 0x1234;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(0xabcdef, regs.rax);
        assertEquals(DATA, regs.gsBase);
        assertEquals(0x1234, regs.fsBase);
    }

    /** Page tables written by hand (not by mm/): one PT covering 0x600000-0x7fffff, and room for large pages. */
    private final class HandTables {
        static final long CODE_H = 0x600000, DATA_H = 0x601000;
        final long pml4 = frames.allocate(), pdpt = frames.allocate(), pd = frames.allocate(), pt = frames.allocate();

        HandTables() {
            var ram = platform.ram();
            long table = PagedMemory.PRESENT | PagedMemory.WRITABLE | PagedMemory.USER;
            ram.putLong(pml4, pdpt | table);
            ram.putLong(pdpt, pd | table);
            ram.putLong(pd + 8 * 3, pt | table);
        }

        /** Sets the PTE of {@code va} (in 0x600000-0x7fffff). */
        void set(long va, long pte) {
            platform.ram().putLong(pt + 8 * ((va >>> 12) & 511), pte);
        }

        /** A new frame holding {@code bytes}, mapped at {@code va} with {@code flags}. */
        long map(long va, long flags, int... bytes) {
            long f = frames.allocate();
            for (int i = 0; i < bytes.length; i++) platform.ram().segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, f + i, (byte) bytes[i]);
            set(va, f | flags);
            return f;
        }
    }

    private static final long URX = PagedMemory.PRESENT | PagedMemory.USER, URW = URX | PagedMemory.WRITABLE;

    @Test
    void aChangedPteIsSeenAfterInvalidateTranslations() {
        HandTables h = new HandTables();
        h.map(HandTables.CODE_H, URX, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x60, 0x00,   // mov eax, [0x601000]
                0x0f, 0x05);                                                    // syscall
        long a = h.map(HandTables.DATA_H, URW, 1);
        long b = frames.allocate();
        platform.ram().putLong(b, 5);
        cpu = platform.newContext();
        cpu.setPageTableRoot(h.pml4);
        regs = cpu.registers();
        regs.rip = HandTables.CODE_H;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(1, regs.rax);
        h.set(HandTables.DATA_H, b | URW);
        regs.rip = HandTables.CODE_H;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(1, regs.rax, "the software TLB keeps the old translation until told");
        platform.invalidateTranslations();
        regs.rip = HandTables.CODE_H;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(5, regs.rax);
        assertTrue(a != b);
        // A supervisor-only page: present, but not for user mode (P|U).
        h.set(HandTables.DATA_H, b | PagedMemory.PRESENT | PagedMemory.WRITABLE);
        platform.invalidateTranslations();
        regs.rip = HandTables.CODE_H;
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(PagedMemory.PF_P | PagedMemory.PF_U, t.errorCode());
    }

    @Test
    void anInvalidationFromAnotherThreadReachesARunningContext() throws InterruptedException {
        HandTables h = new HandTables();
        h.map(HandTables.CODE_H, URX, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x60, 0x00,   // loop: mov eax, [0x601000]
                0x83, 0xf8, 0x05,                                               // cmp eax, 5
                0x75, 0xf4,                                                     // jne loop
                0x0f, 0x05);                                                    // syscall
        h.map(HandTables.DATA_H, URW, 1);
        long b = frames.allocate();
        platform.ram().putLong(b, 5);
        cpu = platform.newContext();
        cpu.setPageTableRoot(h.pml4);
        regs = cpu.registers();
        regs.rip = HandTables.CODE_H;
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            h.set(HandTables.DATA_H, b | URW);
            platform.invalidateTranslations();
        });
        Trap t = runGuarded();
        other.join();
        assertEquals(SYSCALL, t.kind(), t::toString);
        assertEquals(5, regs.rax);
    }

    @Test
    void aKickInterruptsALongRepStringInstructionWhichThenResumes() throws InterruptedException {
        HandTables h = new HandTables();
        h.map(HandTables.CODE_H, URX, 0xf3, 0xac,   // rep lodsb
                0x0f, 0x05);                        // syscall
        // 2 MiB pages at 16 MiB .. 1 GiB, all reading guest-physical 0..2 MiB: a long, harmless source.
        for (int i = 8; i < 512; i++) platform.ram().putLong(h.pd + 8L * i, PagedMemory.LARGE | URX);
        cpu = platform.newContext();
        cpu.setPageTableRoot(h.pml4);
        regs = cpu.registers();
        regs.rip = HandTables.CODE_H;
        long start = 16L << 20, count = (1L << 30) - start;
        regs.rsi = start;
        regs.rcx = count;
        Trap t = runKickedAfter(50);
        assertEquals(INTERRUPTED, t.kind(), t::toString);
        assertEquals(HandTables.CODE_H, regs.rip, "stopped on the REP instruction");
        assertTrue(regs.rcx > 0 && regs.rcx < count, "rcx " + regs.rcx);
        assertEquals(start + (count - regs.rcx), regs.rsi);
        long rsi = regs.rsi;
        regs.rcx = 10;
        assertEquals(SYSCALL, runGuarded().kind());
        assertEquals(rsi + 10, regs.rsi, "the rest ran to completion (syscall then took rcx)");
    }

    /**
     * Two blocks that jump to each other forever: once translated, a step runs them one after
     * the other through their chain links without returning to the context (BlockRunner's
     * chaining, at most 64 at a time), which must still see a kick from another thread and
     * stop with RIP on a block's start and the registers of the blocks run so far.
     */
    @Test
    void aKickInterruptsTranslatedBlocksThatRunEachOther() throws InterruptedException {
        HandTables h = new HandTables();
        h.map(HandTables.CODE_H, URX, 0x48, 0xff, 0xc0,   // a: inc rax
                0xeb, 0x10,                                 // jmp b (a + 0x15)
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0x48, 0xff, 0xc3,                           // b: inc rbx
                0xeb, 0xe6);                                // jmp a
        cpu = platform.newContext();
        cpu.setPageTableRoot(h.pml4);
        regs = cpu.registers();
        regs.rip = HandTables.CODE_H;
        Trap t = runKickedAfter(300);
        assertEquals(INTERRUPTED, t.kind(), t::toString);
        assertTrue(regs.rip == HandTables.CODE_H || regs.rip == HandTables.CODE_H + 0x15, "rip " + Long.toHexString(regs.rip));
        assertTrue(regs.rax > 100_000 && regs.rax - regs.rbx <= 1 && regs.rax >= regs.rbx, regs.rax + " " + regs.rbx);
    }
}
