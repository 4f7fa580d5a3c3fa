package dev.jux.platform;

import static dev.jux.mm.AddressSpace.PAGE;
import static dev.jux.mm.AddressSpace.Placement.FIXED;
import static dev.jux.mm.Vma.EXEC;
import static dev.jux.mm.Vma.READ;
import static dev.jux.mm.Vma.WRITE;
import static dev.jux.platform.Trap.Kind.EXCEPTION;
import static dev.jux.platform.Trap.Kind.INTERRUPTED;
import static dev.jux.platform.Trap.Kind.SYSCALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.mm.AddressSpace;
import dev.jux.mm.FrameAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every platform's Context must do, whatever runs the guest: traps, registers, page
 * faults, kicks, and page-table changes becoming visible. Each test maps a little machine code
 * (hand-assembled; the assembly is in the comments) at {@link #CODE}. KvmContextTest and
 * InterpContextTest run these on their platform and add their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContextContractTest {
    protected static final long CODE = 0x400000, STACK = 0x800000, DATA = 0x12345000;
    protected static final int RW = READ | WRITE;
    protected static final int[] SYSCALL_INSN = {0x0f, 0x05};

    protected Platform platform;
    protected FrameAllocator frames;

    protected final List<AddressSpace> spaces = new ArrayList<>();
    protected AddressSpace memory;
    protected Context cpu;
    protected UserRegisters regs;

    /** The platform under test; may skip the class with an assumption (no KVM, say). */
    protected abstract Platform createPlatform();

    @BeforeAll
    void startPlatform() {
        platform = createPlatform();
        frames = new FrameAllocator(platform.ram());
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) platform.close();
    }

    /** One instance serves the whole class (PER_CLASS), so each test starts from nothing. */
    @AfterEach
    void tearDown() {
        if (cpu != null) cpu.close();
        spaces.forEach(AddressSpace::destroy);
        spaces.clear();
        cpu = null;
        memory = null;
        regs = null;
    }

    /** An address space with {@code code} at CODE (r-x) and a stack page. */
    protected AddressSpace space(int... code) {
        AddressSpace as = new AddressSpace(platform, frames);
        spaces.add(as);
        as.map(CODE, PAGE, READ | EXEC, FIXED, 0, "code");
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) bytes[i] = (byte) code[i];
        as.load(CODE, bytes, 0, bytes.length);
        as.map(STACK, PAGE, RW, FIXED, 0, "stack");
        return as;
    }

    /** A CPU about to run {@code code} at CODE. */
    protected void boot(int... code) {
        memory = space(code);
        cpu = platform.newContext();
        cpu.setPageTableRoot(memory.pageTableRoot());
        regs = cpu.registers();
        regs.rip = CODE;
        regs.rsp = STACK + PAGE;
    }

    protected static void assertException(int vector, Trap t) {
        assertEquals(EXCEPTION, t.kind(), t::toString);
        assertEquals(vector, t.vector(), t::toString);
    }

    // ---- system calls ----

    @Test
    void aSyscallTrapsWithItsNumberAndResumesWithTheResult() {
        boot(0xb8, 0x27, 0, 0, 0,     // mov eax, 39
             0x0f, 0x05,              // syscall
             0x48, 0x89, 0xc7,        // mov rdi, rax
             0xb8, 0x3c, 0, 0, 0,     // mov eax, 60
             0x0f, 0x05);             // syscall
        Trap t = cpu.run();
        assertEquals(SYSCALL, t.kind(), t::toString);
        assertEquals(39, regs.rax);
        assertEquals(CODE + 7, regs.rip);
        regs.rax = 4242;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(60, regs.rax);
        assertEquals(4242, regs.rdi);
        assertEquals(CODE + 17, regs.rip);
    }

    @Test
    void aSyscallClobbersRcxAndR11AndPreservesEverythingElse() {
        boot(0x0f, 0x05, 0x0f, 0x05);   // syscall ; syscall
        long flags = 0x202 | 0x1 | 0x4 | 0x40 | 0x80 | 0x800;   // IF, CF, PF, ZF, SF, OF
        long[] values = new long[15];
        for (int i = 0; i < values.length; i++) values[i] = 0x0101_0101_0101_0101L * (i + 1);
        setGeneral(regs, values);
        regs.rflags = flags;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(CODE + 2, regs.rip);
        assertEquals(CODE + 2, regs.rcx, "rcx holds the return address");
        assertEquals(flags & 0xcd5, regs.r11 & 0xcd5, "r11 holds the user's flags");
        assertEquals(flags & 0xcd5, regs.rflags & 0xcd5);
        assertEquals(STACK + PAGE, regs.rsp);
        assertPreservedExceptRcxR11(values, general(regs));
        // What the kernel leaves in the registers is what the guest has after the syscall.
        values[0] = -38;
        values[3] = 0xdead_beefL;
        values[14] = 7;
        setGeneral(regs, values);
        regs.rflags = 0x202;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(CODE + 4, regs.rip);
        assertPreservedExceptRcxR11(values, general(regs));
        assertEquals(0, regs.r11 & 0xcd5, "flags the kernel cleared stay cleared");
    }

    /** rax, rbx, rcx, rdx, rsi, rdi, rbp, r8 ... r15: every general register but rsp. */
    protected static long[] general(UserRegisters r) {
        return new long[] {r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp,
                r.r8, r.r9, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15};
    }

    protected static void setGeneral(UserRegisters r, long[] v) {
        r.rax = v[0]; r.rbx = v[1]; r.rcx = v[2]; r.rdx = v[3]; r.rsi = v[4]; r.rdi = v[5]; r.rbp = v[6];
        r.r8 = v[7]; r.r9 = v[8]; r.r10 = v[9]; r.r11 = v[10]; r.r12 = v[11]; r.r13 = v[12]; r.r14 = v[13]; r.r15 = v[14];
    }

    protected static void assertPreservedExceptRcxR11(long[] expected, long[] actual) {
        String[] names = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals("rcx") && !names[i].equals("r11")) assertEquals(expected[i], actual[i], names[i]);
        }
    }

    @Test
    void theFsBaseIsTheGuestsThreadPointer() {
        boot(0x64, 0x48, 0x8b, 0x04, 0x25, 0x08, 0, 0, 0,   // mov rax, fs:[8]
             0x0f, 0x05);                                  // syscall
        memory.map(DATA, PAGE, RW, FIXED, 0, "tls");
        memory.writeLong(DATA + 8, 0x5eed);
        regs.fsBase = DATA;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(0x5eed, regs.rax);
        assertEquals(DATA, regs.fsBase);
    }

    // ---- exceptions ----

    @Test
    void readingAnUnmappedAddressIsAPageFaultThatCanBeResolved() {
        boot(0x48, 0x8b, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12,   // mov rax, [0x12345678]
             0x0f, 0x05);                                     // syscall
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(0x12345678, t.faultAddress());
        assertEquals(4, t.errorCode() & 7, "a user-mode read of a page that is not present");
        assertEquals(CODE, regs.rip);
        // Demand paging: map the page, resume at the faulting instruction.
        memory.map(DATA, PAGE, RW, FIXED, 0, "data");
        memory.writeLong(DATA + 0x678, 0x1122334455667788L);
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(0x1122334455667788L, regs.rax);
    }

    @Test
    void writingAReadOnlyPageIsAPageFaultWithTheWriteBit() {
        boot(0x89, 0x04, 0x25, 0x78, 0x56, 0x34, 0x12,   // mov [0x12345678], eax
             0x0f, 0x05);                               // syscall
        memory.map(DATA, PAGE, READ, FIXED, 0, "data");
        memory.populate(DATA, DATA + PAGE);
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(0x12345678, t.faultAddress());
        assertEquals(7, t.errorCode() & 7, "a user-mode write to a present page");
        assertEquals(AddressSpace.FaultResult.ACCERR, memory.handleFault(t.faultAddress(), true, false));
        memory.protect(DATA, PAGE, RW);
        regs.rax = 99;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(99, memory.readInt(0x12345678));
    }

    @Test
    void jumpingIntoANoExecutePageIsAnInstructionFetchFault() {
        boot(0xb8, 0x00, 0x50, 0x34, 0x12,   // mov eax, 0x12345000
             0xff, 0xe0);                   // jmp rax
        memory.map(DATA, PAGE, RW, FIXED, 0, "data");
        memory.populate(DATA, DATA + PAGE);
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(DATA, t.faultAddress());
        assertEquals(0x10, t.errorCode() & 0x10, "the instruction-fetch bit");
        assertEquals(DATA, regs.rip);
    }

    @Test
    void ud2IsInvalidOpcode() {
        boot(0x90, 0x0f, 0x0b);   // nop ; ud2
        assertException(Trap.UD, cpu.run());
        assertEquals(CODE + 1, regs.rip);
    }

    @Test
    void dividingByZeroIsDivideError() {
        boot(0x31, 0xc9,   // xor ecx, ecx
             0xf7, 0xf1);  // div ecx
        regs.rax = 10;
        assertException(Trap.DE, cpu.run());
        assertEquals(CODE + 2, regs.rip);
        assertEquals(10, regs.rax);
        assertEquals(STACK + PAGE, regs.rsp);
    }

    @Test
    void int3IsABreakpointTrapAfterTheInstruction() {
        boot(0xcc, 0x0f, 0x05);   // int3 ; syscall
        assertException(Trap.BP, cpu.run());
        assertEquals(CODE + 1, regs.rip);
        assertEquals(SYSCALL, cpu.run().kind(), "the guest resumes after an exception");
    }

    // ---- page tables seen by the CPU ----

    @Test
    void pagesTheKernelRemovesOrRestrictsAreNotUsedAgain() {
        boot(0x8b, 0x04, 0x25, 0x00, 0x50, 0x34, 0x12,   // mov eax, [0x12345000]
             0x89, 0x04, 0x25, 0x00, 0x50, 0x34, 0x12,   // mov [0x12345000], eax
             0x0f, 0x05,                                // syscall
             0xeb, 0xec);                               // jmp CODE
        memory.map(DATA, PAGE, RW, FIXED, 0, "data");
        memory.writeInt(DATA, 5);
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(5, regs.rax);
        // The guest has used the entry: a permission cut and an unmap must still be seen.
        memory.protect(DATA, PAGE, READ);
        regs.rip = CODE;
        Trap t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(CODE + 7, regs.rip);
        memory.unmap(DATA, PAGE);
        regs.rip = CODE;
        t = cpu.run();
        assertException(Trap.PF, t);
        assertEquals(CODE, regs.rip);
        assertEquals(0, t.errorCode() & 1, "the page is gone, not just protected");
    }

    @Test
    void switchingThePageTableRootRunsTheOtherAddressSpace() {
        boot(0xb8, 1, 0, 0, 0, 0x0f, 0x05);               // mov eax, 1 ; syscall
        AddressSpace other = space(0xb8, 2, 0, 0, 0, 0x0f, 0x05);   // mov eax, 2 ; syscall
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(1, regs.rax);
        cpu.setPageTableRoot(other.pageTableRoot());
        regs.rip = CODE;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(2, regs.rax);
        cpu.setPageTableRoot(memory.pageTableRoot());
        regs.rip = CODE;
        assertEquals(SYSCALL, cpu.run().kind());
        assertEquals(1, regs.rax);
    }

    // ---- kicks ----

    /** Runs the CPU with a watchdog that kicks it every 2 s, so that a lost kick fails instead of hanging. */
    /** {@link #runGuarded} while another thread kicks the context after {@code millis} ms. */
    protected Trap runKickedAfter(long millis) throws InterruptedException {
        Thread kicker = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            cpu.kick();
        });
        Trap t = runGuarded();
        kicker.join();
        return t;
    }

    protected Trap runGuarded() {
        AtomicBoolean done = new AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                if (!done.get()) cpu.kick();
            }
        });
        try {
            return cpu.run();
        } finally {
            done.set(true);
            watchdog.interrupt();
            try {
                watchdog.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void kickStopsAGuestLoopFromAnotherThreadAndTheContextRunsOn() throws InterruptedException {
        boot(0xeb, 0xfe,    // jmp $
             0x0f, 0x05);   // syscall
        long t0 = System.nanoTime();
        Trap t = runKickedAfter(50);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(INTERRUPTED, t.kind());
        assertTrue(ms >= 40 && ms < 1500, "returned after " + ms + " ms");
        assertEquals(CODE, regs.rip);
        regs.rip = CODE + 2;
        assertEquals(SYSCALL, runGuarded().kind());
    }

    @Test
    void aKickBeforeRunIsNotLost() {
        boot(0xeb, 0xfe);   // jmp $
        cpu.kick();
        long t0 = System.nanoTime();
        assertEquals(INTERRUPTED, runGuarded().kind());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the first kick was lost");
        cpu.kick();
        t0 = System.nanoTime();
        assertEquals(INTERRUPTED, runGuarded().kind());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the second kick was lost");
    }

    @Test
    void aKickAfterAnExceptionIsNotLost() {
        boot(0x0f, 0x0b,    // ud2
             0xeb, 0xfe);   // jmp $
        assertException(Trap.UD, cpu.run());
        // The kernel handles the exception, a signal arrives, and the kick comes before the
        // next run: the CPU goes back to user mode through the return stub.
        regs.rip = CODE + 2;
        cpu.kick();
        long t0 = System.nanoTime();
        assertEquals(INTERRUPTED, runGuarded().kind());
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the kick was lost");
        assertEquals(CODE + 2, regs.rip);
    }

    @Test
    void aKickThatIsNeverRunIntoDoesNotOutliveTheContext() throws InterruptedException {
        // A task kicked while it is in Java (a blocking syscall), which then exits without
        // running guest code again: the kick signal is still pending when its context closes.
        // It must not reach the JVM (a real-time signal's default action ends the process).
        boot(0x0f, 0x05);   // syscall
        assertEquals(SYSCALL, cpu.run().kind());
        Thread kicker = Thread.ofPlatform().start(cpu::kick);
        kicker.join();
        cpu.close();
        cpu = null;
        Thread.sleep(100);
        // And the next context on this thread does not inherit it.
        boot(0x0f, 0x05);
        assertEquals(SYSCALL, runGuarded().kind());
    }

    // ---- extended (x87/SSE/AVX) state ----

    @Test
    void aNewContextHasTheInitialExtendedState() {
        boot(0x0f, 0x05);
        byte[] image = cpu.extendedState();
        assertTrue(image.length >= ExtendedState.MIN_SIZE, "length " + image.length);
        assertEquals(3, cpu.extendedFeatures() & 3, "x87 and SSE are always enabled");
        var b = ExtendedState.le(image);
        assertEquals(ExtendedState.DEFAULT_FCW, b.getShort(ExtendedState.FCW) & 0xffff);
        assertEquals(ExtendedState.DEFAULT_MXCSR, b.getInt(ExtendedState.MXCSR));
        assertEquals(0, b.getLong(ExtendedState.XCOMP_BV), "the standard format");
        assertEquals(null, ExtendedState.invalidReason(image, cpu.extendedFeatures()));
    }

    @Test
    void theExtendedStateSetIsTheStateReadBackAcrossRuns() {
        boot(0x0f, 0x05, 0x0f, 0x05);
        byte[] image = cpu.extendedState();
        var b = ExtendedState.le(image);
        b.putShort(ExtendedState.FCW, (short) 0x27f);           // 53-bit precision
        b.putInt(ExtendedState.MXCSR, 0x1f80 | 0x6000);        // round toward zero
        for (int i = 0; i < 16; i++) image[ExtendedState.XMM0 + i] = (byte) (0x10 + i);
        b.putLong(ExtendedState.XSTATE_BV, b.getLong(ExtendedState.XSTATE_BV) | ExtendedState.FP_SSE);
        cpu.setExtendedState(image);
        assertEquals(SYSCALL, cpu.run().kind());
        byte[] back = cpu.extendedState();
        var c = ExtendedState.le(back);
        assertEquals(0x27f, c.getShort(ExtendedState.FCW) & 0xffff);
        assertEquals(0x7f80, c.getInt(ExtendedState.MXCSR));
        for (int i = 0; i < 16; i++) assertEquals((byte) (0x10 + i), back[ExtendedState.XMM0 + i], "xmm0 byte " + i);
        cpu.setExtendedState(ExtendedState.initial(ExtendedState.MIN_SIZE));
        assertEquals(ExtendedState.DEFAULT_MXCSR, ExtendedState.le(cpu.extendedState()).getInt(ExtendedState.MXCSR));
    }

    @Test
    void anImageXrstorWouldFaultOnIsRefused() {
        boot(0x0f, 0x05);
        byte[] image = cpu.extendedState();
        ExtendedState.le(image).putInt(ExtendedState.MXCSR, 0x10000);
        assertThrows(IllegalArgumentException.class, () -> cpu.setExtendedState(image));
        byte[] compacted = cpu.extendedState();
        ExtendedState.le(compacted).putLong(ExtendedState.XCOMP_BV, 1L << 63 | 3);
        assertThrows(IllegalArgumentException.class, () -> cpu.setExtendedState(compacted));
        assertEquals(ExtendedState.DEFAULT_MXCSR, ExtendedState.le(cpu.extendedState()).getInt(ExtendedState.MXCSR));
    }
}
