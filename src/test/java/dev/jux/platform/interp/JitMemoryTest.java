package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.platform.GuestRam;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Translated blocks on paged guest RAM (the instruction tests use a flat memory, so they never
 * take {@link JitMemory}'s inline TLB hits): each case runs once through the JIT (threshold 0,
 * every block translated) and once interpreted, from the same state, and everything must agree:
 * registers (kept in JVM locals inside a block), flags, XMM, RIP, the fault and both data pages.
 * Cases: accesses that cross a page (the inline tag compare must refuse them), read-only and
 * copy-on-write pages, TLB flushes, faults in the middle of a block and of a block's loop, and
 * stores into the block's own page.
 */
class JitMemoryTest {
    /** Physical frames: B is not A's physical neighbour, so an access crossing from A into B that wrongly took the fast path would read OTHER's bytes. */
    private static final long PML4 = 0x1000, CODE = 0x5000, DATA_A = 0x6000, OTHER = 0x7000, READ_ONLY = 0x8000,
            DATA_B = 0x9000;
    /** Virtual addresses: code, two writable data pages, a read-only page, a page not present. */
    static final long CODE_VA = 0x40_0000, A_VA = 0x40_1000, B_VA = 0x40_2000, RO_VA = 0x40_3000, ABSENT_VA = 0x40_4000;
    private static final long PT = 0x4000;

    private GuestRam ram;
    /** RAM size in pages: 16 but in the test of a size that is not a power of two. */
    private int ramPages = 16;

    @AfterEach
    void close() {
        if (ram != null) ram.close();
    }

    /** A fresh RAM: the page tables, the code (writable too if {@code writableCode}), patterned data. */
    private PagedMemory memory(byte[] code, boolean writableCode) {
        if (ram != null) ram.close();
        ram = new GuestRam(ramPages * GuestRam.PAGE, GuestRam.PAGE);
        ram.putLong(PML4, 0x2000 | 7);
        ram.putLong(0x2000, 0x3000 | 7);
        ram.putLong(0x3000 + 8 * 2, PT | 7);
        ram.putLong(PT, CODE | (writableCode ? 7 : 5));
        ram.putLong(PT + 8, DATA_A | 7);
        ram.putLong(PT + 16, DATA_B | 7);
        ram.putLong(PT + 24, READ_ONLY | 5);
        ram.putLong(PT + 40, (ramPages - 1) * GuestRam.PAGE | 7);   // LAST_VA: RAM's last frame
        for (long p = DATA_A; p < DATA_A + 4 * GuestRam.PAGE; p += 8) ram.putLong(p, p * 0x9e37_79b9_7f4a_7c15L);
        ram.segment().asSlice(CODE, code.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(code));
        PagedMemory m = new PagedMemory(ram);
        m.setRoot(PML4);
        return m;
    }

    private record Outcome(long rip, long flags, long[] regs, long[] xmm, String fault, byte[] pages) {
        @Override
        public String toString() {
            return "rip=" + Long.toHexString(rip) + " flags=" + Long.toHexString(flags) + " regs=" + Arrays.toString(regs)
                    + " xmm=" + Arrays.toString(xmm) + " fault=" + fault;
        }
    }

    /** Runs {@code hex} at CODE_VA until its end (or a fault); {@code between}: called between two runs of it. */
    private Outcome run(String hex, boolean jit, boolean writableCode, int times, Consumer<Cpu> setup,
            Consumer<PagedMemory> between) {
        byte[] code = HexFormat.of().parseHex(hex);
        PagedMemory m = memory(code, writableCode);
        TranslationCache cache = jit ? new TranslationCache(0) : null;
        Cpu cpu = new Cpu();
        String fault = "none";
        for (int t = 0; t < times && fault.equals("none"); t++) {
            if (t > 0) between.accept(m);
            cpu.rip = CODE_VA;
            cpu.rflags = 0x202;
            setup.accept(cpu);
            try {
                new BlockRunner(cpu, m, cache).runUntil(CODE_VA + code.length, 100_000);
            } catch (CpuFault f) {
                fault = f.vector + "/" + f.errorCode + "@" + Long.toHexString(f.address);
            }
        }
        if (jit) {
            assertTrue(cache.translatedCount() > 0, "translated");
            assertFalse(cache.toString().contains("translator error"), cache.toString());
        }
        byte[] pages = ram.segment().asSlice(DATA_A, 4 * GuestRam.PAGE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] codeNow = ram.segment().asSlice(CODE, GuestRam.PAGE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] all = Arrays.copyOf(pages, pages.length + codeNow.length);
        System.arraycopy(codeNow, 0, all, pages.length, codeNow.length);
        return new Outcome(cpu.rip, cpu.rflags & Flags.STATUS, cpu.r.clone(), cpu.xmm.clone(), fault, all);
    }

    private Outcome check(String hex, boolean writableCode, int times, Consumer<Cpu> setup, Consumer<PagedMemory> between) {
        Outcome want = run(hex, false, writableCode, times, setup, between);
        Outcome got = run(hex, true, writableCode, times, setup, between);
        assertEquals(want.toString(), got.toString());
        assertArrayEquals(want.pages, got.pages, "memory");
        return got;
    }

    private Outcome check(String hex, Consumer<Cpu> setup) {
        return check(hex, false, 1, setup, m -> {});
    }

    @Test
    void accessesAcrossAPageTakeTheSlowPathAtEveryOffset() {
        // mov rax,[rdi]; mov ebx,[rdi+1]; movzx ecx,word [rdi+2]; mov [rsi],rax; mov [rsi+3],ebx; mov [rsi+5],cx; add [rsi+1],rcx
        String code = "488b07" + "8b5f01" + "0fb74f02" + "488906" + "895e03" + "66894e05" + "48014e01";
        for (int off = 0xff0; off < 0x1000; off++) {
            long a = A_VA + off;
            Outcome o = check(code, c -> {
                c.r[Cpu.RDI] = a;
                c.r[Cpu.RSI] = a;   // the stores cross from A into B too
            });
            assertEquals("none", o.fault);
        }
    }

    @Test
    void aBlockEndingWithAnInstructionIntoTheNextPageChecksThatPageOnEveryEntry() {
        // CODE_VA + 0xff2: add rax, 1; eight NOPs; add rax, 2 (at 0xffe, its immediate in A_VA's
        // page); dec rcx; jnz CODE_VA + 0xff2: a loop over the page boundary, on paged memory.
        // 14 bytes in the first page: not a whole number of the compare's 8-byte words.
        byte[] loop = HexFormat.of().parseHex("4883c001" + "90".repeat(8) + "4883c002" + "48ffc9" + "0f85e7ffffff");
        long top = CODE_VA + 0xff2, end = top + loop.length;
        for (boolean jit : new boolean[] {false, true}) {
            PagedMemory m = memory(new byte[0], false);
            ram.segment().asSlice(CODE + 0xff2, 14).copyFrom(java.lang.foreign.MemorySegment.ofArray(Arrays.copyOf(loop, 14)));
            ram.segment().asSlice(DATA_A, loop.length - 14).copyFrom(java.lang.foreign.MemorySegment.ofArray(Arrays.copyOfRange(loop, 14, loop.length)));
            TranslationCache cache = jit ? new TranslationCache(0) : null;
            Cpu cpu = new Cpu();
            BlockRunner runner = new BlockRunner(cpu, m, cache);
            for (int i = 0; i < 3; i++) {
                cpu.rip = top;
                cpu.r[Cpu.RAX] = 0;
                cpu.r[Cpu.RCX] = 50;
                runner.runUntil(end, 100_000);
                assertEquals(end, cpu.rip);
                assertEquals(150, cpu.r[Cpu.RAX]);
            }
            if (jit) {
                assertTrue(cache.direct(top).crossesPage, "the loop's head block takes the crossing instruction");
                assertEquals(2, cache.translatedCount(), "translated once each, then found matching memory: " + cache);
            }
            // The next page goes away: the first ADD runs, the second faults on its fetch, at its own RIP.
            ram.putLong(PT + 8, 0);
            m.flush();
            cpu.rip = top;
            cpu.r[Cpu.RAX] = 0;
            cpu.r[Cpu.RCX] = 50;
            CpuFault f = assertThrows(CpuFault.class, () -> runner.runUntil(end, 100_000), jit ? "jit" : "interpreter");
            assertEquals(PagedMemory.PF_U | PagedMemory.PF_ID, f.errorCode, "a user fetch of a page not present");
            assertEquals(A_VA, f.address);
            assertEquals(top + 12, cpu.rip);
            assertEquals(1, cpu.r[Cpu.RAX]);
        }
    }

    /** Mapped to RAM's last frame. */
    static final long LAST_VA = 0x40_5000;

    @Test
    void accessesToTheLastFrameOfRamThatIsNotAPowerOfTwoHit() {
        // Blocks reach RAM through GuestRam.jitView with the offset masked (to a power of two
        // at least RAM's size): the mask must leave every real frame's offset alone.
        ramPages = 13;
        // mov rax,[rdi]; mov [rdi+8],rax; add [rdi+0xff8],rax; mov ecx,[rdi+0xffc]; mov bl,[rdi+0xfff]; inc byte [rdi+0xfff]
        String code = "488b07" + "48894708" + "480187f80f0000" + "8b8ffc0f0000" + "8a9fff0f0000" + "fe87ff0f0000";
        Outcome o = check(code, true, 3, c -> {
            c.r[Cpu.RDI] = LAST_VA;
            c.r[Cpu.RAX] = 0x1234_5678_9abc_def0L;
        }, m -> {});
        assertEquals("none", o.fault);
        long last = (ramPages - 1) * GuestRam.PAGE;
        assertEquals(ram.getLong(last), ram.getLong(last + 8), "the store hit RAM's last frame");
    }

    @Test
    void registersOnlyReadOrWrittenByCallsAreExactAtFaultsAndExits() {
        // A block writes back only the registers its own code writes (InlineEmitter.writtenRegisters):
        // RCX here is written by a fallback (BSF) and read inline, RDX:RAX by MUL's helper,
        // RSI and RDI only read. mov rax,[rdi]; bsf rcx,rax; add rbx,rcx; mul rdx; mov r8,rsi; mov r9,[rsi]
        String code = "488b07" + "480fbcc8" + "4801cb" + "48f7e2" + "4989f0" + "4c8b0e";
        for (long rsi : new long[] {B_VA, ABSENT_VA}) {
            Outcome o = check(code, false, 3, c -> {
                c.r[Cpu.RDI] = A_VA + 8;
                c.r[Cpu.RSI] = rsi;
                c.r[Cpu.RBX] = 5;
                c.r[Cpu.RDX] = 3;
            }, m -> {});
            assertEquals(rsi == ABSENT_VA, o.fault.startsWith("14/"), o.fault);
        }
    }

    @Test
    void aStoreAcrossIntoAReadOnlyPageChangesNeither() {
        // mov rbx,7; add rbx,rbx; mov [rsi],rax (crosses into the read-only page); mov ecx,1
        Outcome o = check("48c7c307000000" + "4801db" + "488906" + "b901000000", c -> {
            c.r[Cpu.RSI] = RO_VA - 3;
            c.r[Cpu.RAX] = -1;
        });
        assertEquals("14/7@403000", o.fault, "#PF, P|W|U, CR2 at the read-only page");
        assertEquals(14, o.regs[Cpu.RBX], "the registers before the store are exact");
        assertEquals(CODE_VA + 10, o.rip);
    }

    @Test
    void aReadOnlyPageMadeWritableIsWalkedAgainWithoutAFlush() {
        // Copy-on-write: the first run faults on the store (the TLB keeps a read-only entry),
        // the kernel makes the page writable without a flush, the second run stores.
        for (boolean jit : new boolean[] {false, true}) {
            byte[] code = HexFormat.of().parseHex("8b06" + "ffc0" + "8906");
            PagedMemory m = memory(code, false);
            TranslationCache cache = jit ? new TranslationCache(0) : null;
            Cpu cpu = new Cpu();
            cpu.rip = CODE_VA;
            cpu.r[Cpu.RSI] = RO_VA + 8;
            BlockRunner runner = new BlockRunner(cpu, m, cache);
            assertThrows(CpuFault.class, () -> runner.runUntil(CODE_VA + code.length, 100));
            assertEquals(CODE_VA + 4, cpu.rip, "on the store");
            ram.putLong(PT + 24, READ_ONLY | 7);   // made writable: no flush needed
            runner.runUntil(CODE_VA + code.length, 100);
            assertEquals(CODE_VA + code.length, cpu.rip);
            assertEquals((int) cpu.r[Cpu.RAX], (int) ram.getLong(READ_ONLY + 8), "stored");
        }
    }

    @Test
    void aFlushedTranslationIsNotUsedAgain() {
        // mov rax,[rdi]; add rax,1; mov [rdi+8],rax: run, remap A to another frame, flush, run again.
        String hex = "488b07" + "4883c001" + "48894708";
        for (boolean jit : new boolean[] {false, true}) {
            byte[] code = HexFormat.of().parseHex(hex);
            PagedMemory m = memory(code, false);
            TranslationCache cache = jit ? new TranslationCache(0) : null;
            Cpu cpu = new Cpu();
            BlockRunner runner = new BlockRunner(cpu, m, cache);
            cpu.rip = CODE_VA;
            cpu.r[Cpu.RDI] = A_VA + 16;
            runner.runUntil(CODE_VA + code.length, 100);
            assertEquals(ram.getLong(DATA_A + 16) + 1, cpu.r[Cpu.RAX]);
            ram.putLong(PT + 8, OTHER | 7);
            m.flush();
            cpu.rip = CODE_VA;
            runner.runUntil(CODE_VA + code.length, 100);
            assertEquals(ram.getLong(OTHER + 16) + 1, cpu.r[Cpu.RAX], "the new frame after the flush");
            assertEquals(cpu.r[Cpu.RAX], ram.getLong(OTHER + 24));
        }
    }

    @Test
    void aFaultInALoopLeavesTheRegistersAndCarriedFlagsExact() {
        // top: add rax,[rdi]; add rdi,0x7f8; dec rcx; jnz top: reads walk into the absent page
        // on a later pass of the loop (the flags of that pass's start are the carried DEC's).
        for (long count : new long[] {3, 9, 100}) {
            Outcome o = check("480307" + "4881c7f8070000" + "48ffc9" + "75f1", c -> {
                c.r[Cpu.RDI] = A_VA + 8;
                c.r[Cpu.RCX] = count;
                c.r[Cpu.RBX] = 0x1234;
            });
            // reads at A+8, +0x7f8 each: the 8th is at 0x4047d0, in the absent page
            assertEquals(count < 8 ? "none" : "14/4@4047d0", o.fault);
        }
    }

    @Test
    void registersWrittenBeforeAFaultInTheMiddleOfABlockAreKept() {
        // add rbx,1; lea rcx,[rbx+rbx]; push rcx; mov edx,[rsi] (absent); mov ebx,0
        Outcome o = check("4883c301" + "488d0c1b" + "51" + "8b16" + "bb00000000", c -> {
            c.r[Cpu.RBX] = 41;
            c.r[Cpu.RSI] = ABSENT_VA;
            c.r[Cpu.RSP] = B_VA + 0x100;
        });
        assertEquals("14/4@404000", o.fault);
        assertEquals(42, o.regs[Cpu.RBX]);
        assertEquals(84, o.regs[Cpu.RCX]);
        assertEquals(B_VA + 0xf8, o.regs[Cpu.RSP]);
    }

    @Test
    void aStoreIntoTheBlocksOwnPageRunsTheNewCode() {
        // mov byte [rip+3], 5 patches the imm8 of the add after it; then mov [rdi],rax
        Outcome o = check("c60503000000" + "05" + "4883c001" + "488907", true, 3, c -> c.r[Cpu.RDI] = A_VA, m -> {});
        assertEquals(15, o.regs[Cpu.RAX], "three runs of add rax,5");
    }

    /**
     * A loop patching its own next instruction on every pass, with the TLB warm from earlier
     * runs: every patch is seen (the store into the block's page ends the block).
     */
    @Test
    void aLoopPatchingItsOwnCodeSeesEveryPatch() {
        // top: mov byte [rip+3],5 (the imm8 of the add); add rax,1; dec rcx; jnz top
        Outcome o = check("c60503000000" + "05" + "4883c001" + "48ffc9" + "75f0", true, 3, c -> c.r[Cpu.RCX] = 10, m -> {});
        assertEquals(150, o.regs[Cpu.RAX], "three runs of ten add rax,5");
    }

    /**
     * A PUSH's store into the block's page ends the page's watch (so its write tag fills and a
     * later inline store to it hits the TLB) without ending the block, as PUSH has no check of
     * its own: the later store that patches code must still be seen (a TLB hit must not skip
     * the "store into the block's page" check).
     */
    @Test
    void aPushIntoTheBlocksPageKeepsTheCheckOfLaterStores() {
        // top: push rbx (into the code's page, past the code); mov byte [rip+3],5; add rdx,1; dec rcx; jnz top
        Outcome o = check("53" + "c60503000000" + "05" + "4883c201" + "48ffc9" + "75ef", true, 3, c -> {
            c.r[Cpu.RCX] = 10;
            c.r[Cpu.RSP] = CODE_VA + 0x808;
        }, m -> {});
        assertEquals(150, o.regs[Cpu.RDX], "three runs of ten add rdx,5");
    }

    @Test
    void sseMemoryFormsFaultAndAgree() {
        // punpcklbw xmm0,[rdi]; pshufd xmm1,[rdi+16],0x1b; packuswb xmm1,xmm0; punpckhdq xmm2,[rdi+32]; movdqu [rsi],xmm1
        String hex = "660f6007" + "660f704f101b" + "660f67c8" + "660f6a5720" + "f30f7f0e";
        for (long rdi : new long[] {A_VA + 0x100, A_VA + 0x108, B_VA - 0x20}) {
            for (long rsi : new long[] {B_VA + 0x40, B_VA - 8, RO_VA - 8}) {
                check(hex, c -> {
                    c.r[Cpu.RDI] = rdi;
                    c.r[Cpu.RSI] = rsi;
                    for (int i = 0; i < 32; i++) c.xmm[i] = 0x0123_4567_89ab_cdefL * (i + 1);
                });
            }
        }
    }

    /**
     * Loops whose pointers move by a stride each pass, so accesses walk across into the next
     * page (at every alignment for the small strides), into the read-only page (the store
     * faults mid-loop) and into the absent page, past the loop budget too. An access that
     * misses the TLB leaves the block before its instruction, with the flags pending then (an ALU result, a shift,
     * the closing SUB's carried operands) handed to the dispatcher, and the interpreter runs
     * the instruction (InlineEmitter's miss exits); a miss that faults faults there.
     */
    @Test
    void loopsFollowThePointersAcrossPages() {
        String[] bodies = {
            "488b07" + "488906",              // mov rax,[rdi]; mov [rsi],rax
            "0fb607" + "8806",                // movzx eax,byte [rdi]; mov [rsi],al
            "8b07" + "014604",                // mov eax,[rdi]; add [rsi+4],eax
            "f30f6f07" + "660ffec8" + "660fd64e08",   // movdqu xmm0,[rdi]; paddd xmm1,xmm0; movq [rsi+8],xmm1
            "01d8" + "8b1f" + "8906",         // add eax,ebx (flags pending); mov ebx,[rdi]; mov [rsi],eax
            "c1e003" + "0307" + "8806",       // shl eax,3; add eax,[rdi]; mov [rsi],al (pending add)
            "f7d8" + "8906",                  // neg eax (pending NEG); mov [rsi],eax
            "8b07" + "0fc11f" + "8b4704" + "8906",   // mov eax,[rdi]; xadd [rdi],ebx (a fallback, through Memory); mov eax,[rdi+4]; mov [rsi],eax
        };
        // then: add rdi,rdx; add rsi,rdx; dec rcx (or sub rcx,1: flags carried to the next pass); jnz top
        for (String count : new String[] {"48ffc9", "4883e901"}) {
            String tail = "4801d7" + "4801d6" + count;
            for (String body : bodies) {
                int length = body.length() / 2 + tail.length() / 2 + 2;
                checkPointerLoop(body + tail + "75" + String.format("%02x", (256 - length) & 0xff));
            }
        }
    }

    /**
     * A loop whose head is not its block's first instruction: its accesses call Memory on a
     * TLB miss instead of leaving the block, and keep their pages as a self-loop's do
     * (InlineEmitter.access; with its seven registers the budget caches the first site, the load).
     */
    @Test
    void aLoopInsideABlockFollowsThePointersAcrossPages() {
        // xor eax,eax; top: movzx ebx,byte [rdi]; add eax,ebx; mov [rsi],bl; add rdi,rdx; add rsi,rdx; sub rcx,1; jnz top
        checkPointerLoop("31c0" + "0fb61f" + "01d8" + "881e" + "4801d7" + "4801d6" + "4883e901" + "75ed");
        // the same with 4-byte accesses, which may cross a page
        checkPointerLoop("31c0" + "8b1f" + "01d8" + "891e" + "4801d7" + "4801d6" + "4883e901" + "75ee");
    }

    /** Runs a loop over RDI and RSI by RDX, RCX times, from starts in, across and into pages that fault. */
    private void checkPointerLoop(String hex) {
        for (long stride : new long[] {1, 3, 8, 0x7f8, 0x1000}) {
            for (long[] start : new long[][] {{A_VA + 0xf00, A_VA + 0x800}, {B_VA - 5, B_VA + 0xf80}, {A_VA + 0x10, B_VA - 0x40}}) {
                for (long n : new long[] {5, 300, 1500}) {
                    check(hex, c -> {
                        c.r[Cpu.RDI] = start[0];
                        c.r[Cpu.RSI] = start[1];
                        c.r[Cpu.RDX] = stride;
                        c.r[Cpu.RCX] = n;
                        c.r[Cpu.RAX] = 0x8000_0001L;
                        c.r[Cpu.RBX] = 0x7fff_ffffL;
                        for (int k = 0; k < 32; k++) c.xmm[k] = 0x0123_4567_89ab_cdefL * (k + 1);
                    });
                }
            }
        }
    }

    @Test
    void aLoopSeesARemapAfterAFlush() {
        // top: add rax,[rdi]; mov [rdi+8],rax; add rdi,16; dec rcx; jnz top; remap A, flush, run again
        String hex = "480307" + "48894708" + "4883c710" + "48ffc9" + "75f0";
        Outcome o = check(hex, false, 3, c -> {
            c.r[Cpu.RDI] = A_VA + 0x100;
            c.r[Cpu.RCX] = 100;
        }, m -> {
            ram.putLong(PT + 8, OTHER | 7);
            m.flush();
        });
        assertEquals("none", o.fault);
    }

    @Test
    void aLoopStoringIntoItsOwnPageStillRuns() {
        // top: mov [rsi],al; inc rsi; dec rcx; jnz top: the stores go to the code's page (past
        // the loop), so each ends the block; and to data after it
        String hex = "8806" + "48ffc6" + "48ffc9" + "75f6";
        for (long rsi : new long[] {CODE_VA + 0x800, CODE_VA + 0xff8}) {
            check(hex, true, 1, c -> {
                c.r[Cpu.RSI] = rsi;
                c.r[Cpu.RCX] = 40;
                c.r[Cpu.RAX] = 0x5a;
            }, m -> {});
        }
    }
}
