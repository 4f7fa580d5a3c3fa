package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.platform.GuestRam;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.HexFormat;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two interpreted CPUs on two Java threads over one guest RAM: locked instructions on one must
 * not lose the plain stores of the other to the same 8-byte word (a locked instruction done as
 * a plain read and a plain write would write back a stale half), nor the kernel's own
 * compare-and-set on guest RAM (Futexes). Also: a locked instruction faults as a write, and a
 * compare-and-set that finds the word changed reruns the instruction from the saved registers.
 */
class LockedAtomicityTest {
    private static final long PML4 = 0x1000, CODE = 0x5000, DATA = 0x6000;
    private static final long READ_ONLY = 0x7000;
    private static final long CODE_VA = 0x40_0000, DATA_VA = 0x40_1000, READ_ONLY_VA = 0x40_2000;
    private static final int ROUNDS = 100_000;

    /** lock inc qword [rdi] */
    private static final String INC = "f048ff07";
    /** mov rax,[rdi]; lea rdx,[rax+2]; lock cmpxchg [rdi],rdx: +2 if nothing changed the word */
    private static final String CAS = "488b07" + "488d5002" + "f0480fb117";
    /** xchg [rdi+8],rbx */
    private static final String XCHG = "48875f08";
    /** mov eax,[rdi+4]; inc eax; mov [rdi+4],eax: a plain increment of the word's high half */
    private static final String PLAIN = "8b4704" + "ffc0" + "894704";

    private final GuestRam ram = new GuestRam(16 * GuestRam.PAGE, GuestRam.PAGE);

    LockedAtomicityTest() {
        // PML4 -> PDPT -> PD -> PT, all user-writable; PT[0] = code, PT[1] = data (VA 0x400000, 0x401000).
        ram.putLong(PML4, 0x2000 | 7);
        ram.putLong(0x2000, 0x3000 | 7);
        ram.putLong(0x3000 + 8 * 2, 0x4000 | 7);
        ram.putLong(0x4000, CODE | 7);
        ram.putLong(0x4000 + 8, DATA | 7);
        ram.putLong(0x4000 + 16, READ_ONLY | 5);
        byte[] code = HexFormat.of().parseHex(INC + CAS + XCHG + PLAIN);
        ram.segment().asSlice(CODE, code.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(code));
    }

    @AfterEach
    void close() {
        ram.close();
    }

    private static final long INC_AT = CODE_VA, CAS_AT = INC_AT + INC.length() / 2,
            XCHG_AT = CAS_AT + CAS.length() / 2, PLAIN_AT = XCHG_AT + XCHG.length() / 2,
            END = PLAIN_AT + PLAIN.length() / 2;

    private Interpreter cpu() {
        PagedMemory memory = new PagedMemory(ram);
        memory.setRoot(PML4);
        Interpreter interp = new Interpreter(new Cpu(), memory);
        interp.cpu().r[Cpu.RDI] = DATA_VA;
        return interp;
    }

    /** Runs the code from {@code from} to {@code to} once. */
    private static void run(Interpreter interp, long from, long to) {
        interp.cpu().rip = from;
        assertEquals(Executor.CONTINUE, interp.runUntil(to, 10));
        assertEquals(to, interp.cpu().rip);
    }

    /** The locker: ROUNDS times lock inc and a cmpxchg +2 (retried until it succeeds), and an xchg. */
    private void locker(Interpreter interp, long[] tokensBack) {
        long back = 0;
        for (int i = 0; i < ROUNDS; i++) {
            run(interp, INC_AT, CAS_AT);
            do run(interp, CAS_AT, XCHG_AT); while ((interp.cpu().rflags & Flags.ZF) == 0);
            interp.cpu().r[Cpu.RBX] = i + 1;
            run(interp, XCHG_AT, PLAIN_AT);
            back += interp.cpu().r[Cpu.RBX];
        }
        tokensBack[0] = back;
    }

    private static void both(Runnable a, Runnable b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                start.await();
                b.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        start.await();
        a.run();
        other.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }

    @Test
    void lockedInstructionsKeepAnotherCpusPlainStores() throws Exception {
        Interpreter locker = cpu(), plain = cpu();
        AtomicBoolean done = new AtomicBoolean();
        long[] plainRounds = new long[1], tokensBack = new long[1];
        both(() -> {
            locker(locker, tokensBack);
            done.set(true);
        }, () -> {
            long n = 0;
            while (!done.get()) {
                run(plain, PLAIN_AT, END);
                n++;
            }
            plainRounds[0] = n;
        });
        long word = ram.getLong(DATA);
        assertTrue(plainRounds[0] > 0);
        assertEquals(3L * ROUNDS, word & 0xffff_ffffL, "every lock inc and lock cmpxchg counted");
        assertEquals(plainRounds[0], word >>> 32, "every plain increment of the high half kept");
        long tokens = (long) ROUNDS * (ROUNDS + 1) / 2;
        assertEquals(tokens, tokensBack[0] + ram.getLong(DATA + 8), "xchg gave back every token but the last");
    }

    @Test
    void aLockedInstructionOnAReadOnlyPageFaultsAsAWriteAndChangesNothing() {
        Interpreter interp = cpu();
        ram.putLong(READ_ONLY, 41);
        interp.cpu().r[Cpu.RDI] = READ_ONLY_VA;
        long flags = interp.cpu().rflags;
        interp.cpu().rip = INC_AT;
        CpuFault f = assertThrows(CpuFault.class, interp::step);
        assertEquals(PagedMemory.PF_P | PagedMemory.PF_W | PagedMemory.PF_U, f.errorCode, "a locked read faults as a write");
        assertEquals(READ_ONLY_VA, f.address);
        assertEquals(41, ram.getLong(READ_ONLY));
        assertEquals(INC_AT, interp.cpu().rip);
        assertEquals(flags, interp.cpu().rflags);
    }

    /** Memory whose first compare-and-sets find the word changed by "another CPU" (+10 each time). */
    private static final class Interfering implements Memory {
        final FlatMemory flat = new FlatMemory();
        int interferences;

        @Override public int read8(long a) { return flat.read8(a); }
        @Override public int read16(long a) { return flat.read16(a); }
        @Override public int read32(long a) { return flat.read32(a); }
        @Override public long read64(long a) { return flat.read64(a); }
        @Override public void write8(long a, int v) { flat.write8(a, v); }
        @Override public void write16(long a, int v) { flat.write16(a, v); }
        @Override public void write32(long a, int v) { flat.write32(a, v); }
        @Override public void write64(long a, long v) { flat.write64(a, v); }
        @Override public int fetch8(long a) { return flat.fetch8(a); }
        @Override public boolean hasAtomicWords() { return true; }
        @Override public long lockWord(long a) { return flat.lockWord(a); }
        @Override public long word(long key) { return flat.word(key); }

        @Override
        public boolean compareAndSetWord(long key, long expected, long value) {
            if (interferences > 0) {
                interferences--;
                flat.write64(key, flat.read64(key) + 10);
            }
            return flat.compareAndSetWord(key, expected, value);
        }
    }

    @Test
    void aFailedCompareAndSetRunsTheInstructionAgainFromTheSavedRegisters() {
        Interfering memory = new Interfering();
        byte[] code = HexFormat.of().parseHex("f0480fc11e" + "f0480fb11e");   // lock xadd [rsi],rbx; lock cmpxchg [rsi],rbx
        System.arraycopy(code, 0, memory.flat.map(0x1000, 0x1000), 0, code.length);
        memory.flat.map(0x10000, 0x1000);
        memory.flat.write64(0x10000, 100);
        Cpu c = new Cpu();
        c.rip = 0x1000;
        c.r[Cpu.RSI] = 0x10000;
        c.r[Cpu.RBX] = 5;
        memory.interferences = 2;
        Interpreter interp = new Interpreter(c, memory);
        interp.step();
        assertEquals(120, c.r[Cpu.RBX], "xadd returns the value its compare-and-set replaced");
        assertEquals(125, memory.flat.read64(0x10000));
        assertEquals(0x1005, c.rip);
        // cmpxchg expecting 125: another CPU makes it 135 first, so the retry fails the compare.
        c.r[Cpu.RAX] = 125;
        memory.interferences = 1;
        interp.step();
        assertEquals(135, c.r[Cpu.RAX], "the retry saw the new value and loaded it into RAX");
        assertEquals(0, c.rflags & Flags.ZF);
        assertEquals(135, memory.flat.read64(0x10000));
        assertEquals(0x100a, c.rip);
    }

    @Test
    void lockedInstructionsAndTheKernelsCompareAndSetExcludeEachOther() throws Exception {
        VarHandle word = ValueLayout.JAVA_INT.varHandle();
        Interpreter locker = cpu();
        AtomicBoolean done = new AtomicBoolean();
        long[] kernelRounds = new long[1], tokensBack = new long[1];
        both(() -> {
            locker(locker, tokensBack);
            done.set(true);
        }, () -> {
            // As Futexes.wakeOp does: a CAS loop on a 4-byte guest word, here the high half.
            long n = 0;
            while (!done.get()) {
                int was;
                do {
                    was = (int) word.getVolatile(ram.segment(), DATA + 4);
                } while (!word.compareAndSet(ram.segment(), DATA + 4, was, was + 1));
                n++;
            }
            kernelRounds[0] = n;
        });
        long w = ram.getLong(DATA);
        assertEquals(3L * ROUNDS, w & 0xffff_ffffL);
        assertEquals(kernelRounds[0], w >>> 32);
    }
}
