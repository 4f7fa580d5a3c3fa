package dev.jux.platform.interp;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;

/**
 * Two machines loaded with the same program, registers and data: one run by {@link
 * Interpreter#run} (fast forms, lazy flags), the reference by the generic {@link Executor} one
 * instruction at a time. {@link #assertSame} runs both to an end RIP and asserts they agree on
 * everything an instruction can change. For the tests of the interpreter's fast path.
 */
final class InterpreterVsExecutor {
    static final long CODE = 0x10000, DATA = 0x40000;

    /** One machine: memory with code at {@link #CODE} and data at {@link #DATA}, a CPU. */
    static final class Machine {
        final FlatMemory mem = new FlatMemory();
        final byte[] code = mem.map(CODE, 0x2000);
        final byte[] data;
        final Cpu cpu = new Cpu();

        Machine(int dataBytes) {
            data = mem.map(DATA, dataBytes);
        }
    }

    final Machine fast, reference;
    final Interpreter interp;
    private final Executor executor;
    private final Decoder decoder = new Decoder();

    InterpreterVsExecutor(int dataBytes) {
        fast = new Machine(dataBytes);
        reference = new Machine(dataBytes);
        interp = new Interpreter(fast.cpu, fast.mem);
        executor = new Executor(reference.cpu, reference.mem);
    }

    /**
     * Loads {@code program} at {@link #CODE}, {@code data} (zeros where it is shorter), the 16
     * registers with RDI and RSP replaced, and RFLAGS into both machines; returns the end RIP.
     */
    long load(byte[] program, byte[] data, long[] regs, long rdi, long rsp, long rflags) {
        for (Machine m : new Machine[] {fast, reference}) {
            Arrays.fill(m.code, (byte) 0);
            System.arraycopy(program, 0, m.code, 0, program.length);
            Arrays.fill(m.data, (byte) 0);
            System.arraycopy(data, 0, m.data, 0, data.length);
            System.arraycopy(regs, 0, m.cpu.r, 0, 16);
            m.cpu.r[Cpu.RDI] = rdi;
            m.cpu.r[Cpu.RSP] = rsp;
            m.cpu.rflags = rflags;
            m.cpu.rip = CODE;
            m.cpu.epoch++;   // the code changed behind the interpreter's watch
        }
        return CODE + program.length;
    }

    /**
     * Runs the loaded program to {@code end} both ways (each until a fault or a result other
     * than {@link Executor#CONTINUE}) and asserts the same fault, result, RIP, RFLAGS,
     * registers (and the fast path's zero slot still zero) and data; returns the result.
     */
    int assertSame(long end, String what) {
        String gotFault = null, wantFault = null;
        int got = Executor.CONTINUE, want = Executor.CONTINUE;
        try {
            while (fast.cpu.rip != end && got == Executor.CONTINUE) got = interp.run(end);
        } catch (CpuFault f) {
            gotFault = f.vector + "/" + Long.toHexString(f.address);
        }
        interp.materialiseFlags();   // flags may stay pending after a run returns
        Instruction in = new Instruction();
        try {
            while (reference.cpu.rip != end && want == Executor.CONTINUE) {
                decoder.decode(reference.mem, reference.cpu.rip, in);
                want = executor.execute(in);
            }
        } catch (CpuFault f) {
            wantFault = f.vector + "/" + Long.toHexString(f.address);
        }
        assertEquals(wantFault, gotFault, what + ": fault");
        assertEquals(want, got, what + ": result");
        assertEquals(Long.toHexString(reference.cpu.rip), Long.toHexString(fast.cpu.rip), what + ": rip");
        assertEquals(Long.toHexString(reference.cpu.rflags), Long.toHexString(fast.cpu.rflags), what + ": rflags");
        for (int i = 0; i < 16; i++) assertEquals(reference.cpu.r[i], fast.cpu.r[i], what + ": register " + i);
        assertEquals(0, fast.cpu.r[FastPath.NO_REG], what + ": the zero slot");
        assertArrayEquals(reference.data, fast.data, what + ": memory");
        return got;
    }
}
