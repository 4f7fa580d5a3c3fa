package dev.jux.platform.interp;

import static java.lang.constant.ConstantDescs.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.constant.ClassDesc;
import java.lang.foreign.MemorySegment;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a block of guest code into a JVM class (java.lang.classfile), loaded as a
 * hidden class. A block runs from a RIP to the first control transfer other than a
 * conditional branch or a short JMP forward ({@link #follows}) (or to {@link
 * #MAX_INSTRUCTIONS}, or to the end of the 4 KiB page, or through the instruction that
 * crosses it): one entry, and an exit at each Jcc that is taken ({@link
 * InlineEmitter#endsBlockAt}) unless its target is in the block. Every instruction either is compiled inline ({@link InlineEmitter}:
 * the common integer ISA) or becomes a call of {@link Executor#execute} with its decoded
 * {@link Instruction}, a constant of the class (class data), so every instruction is covered.
 */
final class BlockTranslator {
    static final int MAX_INSTRUCTIONS = 64;
    /** Bytes snapshotted for decoding: enough for the longest block. */
    private static final int MAX_BYTES = MAX_INSTRUCTIONS * Decoder.MAX_LENGTH;

    static final ClassDesc CD_CPU = ClassDesc.of("dev.jux.platform.interp.Cpu");
    static final ClassDesc CD_MEMORY = ClassDesc.of("dev.jux.platform.interp.Memory");
    static final ClassDesc CD_EXECUTOR = ClassDesc.of("dev.jux.platform.interp.Executor");
    static final ClassDesc CD_INSTRUCTION = ClassDesc.of("dev.jux.platform.interp.Instruction");
    static final ClassDesc CD_MEMORY_SEGMENT = ClassDesc.of("java.lang.foreign.MemorySegment");
    static final ClassDesc CD_BLOCK_CODE = ClassDesc.of("dev.jux.platform.interp.BlockCode");
    static final MethodTypeDesc RUN_TYPE = MethodTypeDesc.of(CD_int, CD_CPU, CD_MEMORY, CD_EXECUTOR);

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(LOOKUP))));
    private static final ClassFile FIRST_PASS = CLASS_FILE.withOptions(ClassFile.StackMapsOption.DROP_STACK_MAPS,
            ClassFile.DeadCodeOption.KEEP_DEAD_CODE);

    private BlockTranslator() {}

    /** Reads instruction bytes from a snapshot, so a block is decoded from exactly the bytes it keeps. */
    private static final class Snapshot extends FetchOnlyMemory {
        final long base;
        final byte[] bytes;
        final int length;

        Snapshot(long base, byte[] bytes, int length) {
            this.base = base;
            this.bytes = bytes;
            this.length = length;
        }

        @Override
        public int fetch8(long addr) {
            long off = addr - base;
            if (off < 0 || off >= length) throw CpuFault.pageFault(PagedMemory.PF_U | PagedMemory.PF_ID, addr);
            return bytes[(int) off] & 0xff;
        }
    }

    /**
     * The block at {@code rip}, no instruction of which starts at or past {@code stop}
     * (unsigned; -1 for no bound); null if not even its first instruction can be decoded
     * here (it crosses the page, or cannot be fetched: the interpreter then runs it and
     * faults as it should). Faults as a fetch of {@code rip} would.
     */
    static JitBlock translate(Memory memory, long rip, long stop) {
        byte[] code = snapshot(memory, rip, stop);
        return code == null ? null : translate(code, rip, JitMemory.ramOf(memory), false);
    }

    /**
     * The instruction bytes a block at {@code rip} may use (to the page's end and the few
     * bytes after it that an instruction crossing into the next page may take, to {@code stop}
     * or the longest block), read as fetches; null if there is no room. Faults as a fetch of
     * {@code rip} would; bytes of the next page that cannot be fetched are left out.
     */
    static byte[] snapshot(Memory memory, long rip, long stop) {
        int toPageEnd = (int) (4096 - (rip & 4095));
        int room = Math.min(MAX_BYTES, toPageEnd + Decoder.MAX_LENGTH - 1);
        if (Long.compareUnsigned(stop - rip, room) < 0) room = (int) (stop - rip);
        if (room <= 0) return null;
        byte[] buf = new byte[room];
        int have = memory.fetchBytes(rip, buf, Math.min(room, toPageEnd));
        if (have == toPageEnd && room > toPageEnd) {
            byte[] next = new byte[room - toPageEnd];
            try {
                int more = memory.fetchBytes(rip + toPageEnd, next, next.length);
                System.arraycopy(next, 0, buf, toPageEnd, more);
                have += more;
            } catch (CpuFault f) {
                // the next page cannot be fetched: a block ends before an instruction crossing into it
            }
        }
        return have == room ? buf : java.util.Arrays.copyOf(buf, have);
    }

    /**
     * The block at {@code rip} decoded from {@code buf} (the bytes from {@code rip} on); null if
     * none. {@code ram}: guest RAM of the platform the block runs on, for inline TLB hits
     * ({@link JitMemory}); null if none (every access then takes {@link Memory}'s path).
     * {@code hot} names the class {@code JitHot} instead of {@code JitCode}: bin/jux tells
     * HotSpot to compile JitCode classes with C1 only (see docs/platform-interp.md "Tiers"),
     * so only blocks promoted as hot pay for C2.
     */
    static JitBlock translate(byte[] buf, long rip, MemorySegment ram, boolean hot) {
        Snapshot snap = new Snapshot(rip, buf, buf.length);
        Decoder decoder = new Decoder();
        List<Instruction> insns = new ArrayList<>();
        List<Long> rips = new ArrayList<>();
        long pc = rip, pageEnd = (rip | 4095) + 1;
        // A block holds no instruction that starts in the next page, but may end with one that
        // crosses into it (JitBlock#crossesPage): else a hot loop over the page boundary would
        // leave a translated block and interpret that instruction on every iteration.
        while (insns.size() < MAX_INSTRUCTIONS && pc != pageEnd) {
            Instruction in = new Instruction();
            try {
                decoder.decode(snap, pc, in);
            } catch (CpuFault f) {
                break;   // crosses the snapshot's end (page, stop) or is too long: the block ends before it
            }
            insns.add(in);
            rips.add(pc);
            pc += in.length;
            if (InlineEmitter.endsBlockAt(in, pc, rip) && !follows(in, pc, pageEnd) || Long.compareUnsigned(pc, pageEnd) > 0) break;
        }
        if (insns.isEmpty()) return null;
        // Instructions after a followed JMP that no branch of the block reaches are not part of it.
        boolean[] reachable = reachable(insns, rips);
        while (!reachable[insns.size() - 1]) {
            insns.removeLast();
            rips.removeLast();
            pc = rips.getLast() + insns.getLast().length;
        }
        int length = (int) (pc - rip);
        byte[] bytes = java.util.Arrays.copyOf(buf, length);
        // The instructions cut off were unreachable, so nothing the rest reaches changes.
        BlockCode code = define(insns, rips, java.util.Arrays.copyOf(reachable, insns.size()), rip, pc, ram, hot);
        return new JitBlock(rip, bytes, rips.getLast(), insns.size(), code, hot);
    }

    /** Past a JMP forward: the bytes to its target, within the page, may hold targets of the block's own branches. */
    private static final int FOLLOW = 128;

    /**
     * True if the block goes on past {@code in}, a JMP forward by at most {@link #FOLLOW}
     * bytes within the page, decoding on linearly: the code after it runs only where a branch
     * of the block lands in it, and its target becomes a branch target inside the block (an
     * if/else's two arms, the rest of a loop after a jump over a rarely taken part).
     */
    static boolean follows(Instruction in, long next, long pageEnd) {
        if (in.opcode != 0xe9 && in.opcode != 0xeb) return false;
        long target = next + in.imm;
        return in.imm > 0 && in.imm <= FOLLOW && Long.compareUnsigned(target, pageEnd) < 0;
    }

    /**
     * Which instructions can run: the first, every one the one before falls through to (all
     * but after a followed JMP), and every target of a Jcc or JMP that can run.
     */
    static boolean[] reachable(List<Instruction> insns, List<Long> rips) {
        int n = insns.size();
        java.util.Map<Long, Integer> index = new java.util.HashMap<>();
        for (int k = 0; k < n; k++) index.put(rips.get(k), k);
        boolean[] reach = new boolean[n];
        reach[0] = true;
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int j = 0; j < n; j++) {
                if (!reach[j]) continue;
                Instruction in = insns.get(j);
                int op = in.opcode;
                boolean jump = op == 0xe9 || op == 0xeb;
                if (j + 1 < n && !jump && !reach[j + 1]) reach[j + 1] = changed = true;
                if (jump || InlineEmitter.isJcc(op)) {
                    Integer k = index.get(rips.get(j) + in.length + in.imm);
                    if (k != null && !reach[k]) reach[k] = changed = true;
                }
            }
        }
        return reach;
    }

    static final ClassDesc CD_JIT_CODE = ClassDesc.of("dev.jux.platform.interp.JitCode"),
            CD_JIT_HOT = ClassDesc.of("dev.jux.platform.interp.JitHot");

    private static BlockCode define(List<Instruction> insns, List<Long> rips, boolean[] reachable, long blockRip, long blockEnd, MemorySegment ram, boolean hot) {
        // Twice: the first pass finds the registers the block writes, the only ones the second's
        // exits write back (InlineEmitter.writtenRegisters), and the accesses that may keep
        // their own translation (InlineEmitter.cacheableSites).
        List<Object> constants = new ArrayList<>();
        FirstPass first = new FirstPass();
        build(FIRST_PASS, insns, rips, reachable, blockRip, blockEnd, ram, hot, constants, first);
        constants.clear();
        byte[] classBytes = build(CLASS_FILE, insns, rips, reachable, blockRip, blockEnd, ram, hot, constants, first);
        if (DUMP_DIR != null) dump(classBytes, blockRip, hot);
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClassWithClassData(classBytes, List.copyOf(constants), true);
            return (BlockCode) hidden.findConstructor(hidden.lookupClass(), java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("jit: cannot load block at 0x" + Long.toHexString(blockRip), t);
        }
    }

    /** -Djux.jit.dump=DIR: every translated block's class file goes to DIR, for javap -c (debugging the translator). */
    private static final String DUMP_DIR = System.getProperty("jux.jit.dump");

    private static void dump(byte[] classBytes, long blockRip, boolean hot) {
        java.nio.file.Path file = java.nio.file.Path.of(DUMP_DIR, (hot ? "JitHot-" : "JitCode-") + Long.toHexString(blockRip) + ".class");
        try {
            java.nio.file.Files.write(file, classBytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What the first pass learns for the second: -1 and 0 before it. */
    private static final class FirstPass {
        /** The registers the block writes, which its exits write back (-1: all). */
        int written = -1;
        /** The accesses that keep their own translation. */
        int cachedSites;
    }

    /**
     * The class of a block, its class data in {@code constants}, emitted with what {@code pass}
     * holds and filling it in with what this pass learnt.
     */
    private static byte[] build(ClassFile classFile, List<Instruction> insns, List<Long> rips, boolean[] reachable, long blockRip, long blockEnd,
            MemorySegment ram, boolean hot, List<Object> constants, FirstPass pass) {
        constants.add(ram != null ? ram : MemorySegment.NULL);   // class data 0: guest RAM; then the fallbacks' instructions
        int writeBack = pass.written;
        int cachedSites = pass.cachedSites;
        return classFile.build(hot ? CD_JIT_HOT : CD_JIT_CODE, cb -> {
            cb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withSuperclass(CD_BLOCK_CODE);
            cb.withMethodBody(INIT_NAME, MTD_void, ClassFile.ACC_PUBLIC,
                    b -> b.aload(0).invokespecial(CD_BLOCK_CODE, INIT_NAME, MTD_void).return_());
            cb.withMethodBody("run", RUN_TYPE, ClassFile.ACC_PUBLIC, b -> {
                InlineEmitter e = new InlineEmitter(b, blockRip, blockEnd, DynamicConstantDesc.ofNamed(BSM_CLASS_DATA_AT, DEFAULT_NAME, CD_MEMORY_SEGMENT, 0));
                e.writeBackOnly(writeBack);
                e.cacheSites(cachedSites);
                long[] ripArray = new long[rips.size()];
                for (int i = 0; i < ripArray.length; i++) ripArray[i] = rips.get(i);
                Instruction[] insnArray = insns.toArray(new Instruction[0]);
                e.setTargets(insnArray, ripArray, reachable);
                boolean[] target = new boolean[ripArray.length];
                for (int i = 0; i < target.length; i++) target[i] = e.isTarget(ripArray[i]);
                boolean[] flagsUnused = InlineEmitter.flagsUnused(insns, target);
                e.setLoopPending(insnArray, ripArray);
                e.setEntryFlags(InlineEmitter.entryFlags(insnArray, ripArray), ripArray);
                e.setRegisters(insnArray);
                e.prologue();
                for (int i = 0; i < insns.size(); i++) {
                    Instruction in = insns.get(i);
                    boolean last = i == insns.size() - 1;
                    long r = rips.get(i);
                    if (!reachable[i]) continue;
                    e.reachTarget(r);
                    if (!e.emit(in, r, last, flagsUnused[i])) {
                        int k = constants.size();
                        constants.add(in);
                        e.fallback(in, r, last, DynamicConstantDesc.ofNamed(BSM_CLASS_DATA_AT, DEFAULT_NAME, CD_INSTRUCTION, k));
                    }
                }
                e.epilogue();
                if (writeBack != -1 && e.writtenRegisters() != writeBack) {
                    throw new IllegalStateException("jit: the passes disagree on the registers written at 0x" + Long.toHexString(blockRip));
                }
                pass.written = e.writtenRegisters();
                pass.cachedSites = e.cacheableSites();
            });
        });
    }
}
