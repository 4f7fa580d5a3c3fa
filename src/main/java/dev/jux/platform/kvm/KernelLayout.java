package dev.jux.platform.kvm;

import dev.jux.platform.GuestRam;

/**
 * The platform's own part of guest memory: descriptor tables, trampolines and ring-0 stacks in
 * the first {@link #RESERVED} bytes of guest RAM, mapped in every address space at
 * {@link #KERNEL_BASE} (the top 512 GiB slot of the kernel half).
 *
 * <pre>
 * phys 0x1000  GDT   null, 0x10 kernel CS64, 0x18 kernel DS, 0x23 user CS32, 0x2b user DS,
 *                    0x33 user CS64 (Linux's own user selectors), TSS of vCPU slot i at 0x40+16i
 * phys 0x2000  IDT   32 exception gates to the stubs below (int3/into callable from ring 3)
 * phys 0x3000  stubs user-readable and executable, because on a paravirtual KVM the syscall
 *                    entry runs at CPL 3; holds no data
 * phys 0x4000  kernel PDPT, PD, PT mapping the reserved area
 * phys 0x10000 + 0x1000*i: vCPU slot i: its TSS at the start, its ring-0 stack at the end
 * </pre>
 */
final class KernelLayout {
    static final long RESERVED = 0x100000;
    static final long KERNEL_BASE = 0xffffff8000000000L;
    static final int KERNEL_PML4_INDEX = 511;

    static final long GDT = 0x1000, IDT = 0x2000, STUBS = 0x3000, PDPT = 0x4000, PD = 0x5000, PT = 0x6000;
    /**
     * Page tables for the start-up probe: a PML4 with the kernel area plus one user page at
     * {@link #PROBE_USER_ADDRESS} holding the probe's code (phys 0x7000..0xb000).
     */
    static final long PROBE_PML4 = 0x7000, PROBE_PDPT = 0x8000, PROBE_PD = 0x9000, PROBE_PT = 0xa000, PROBE_CODE = 0xb000;
    static final long PROBE_USER_ADDRESS = 0x400000;
    static final long SLOTS = 0x10000;
    static final int MAX_SLOTS = (int) ((RESERVED - SLOTS) / 0x1000);

    static final int KERNEL_CS = 0x10, KERNEL_DS = 0x18, USER_CS32 = 0x23, USER_DS = 0x2b, USER_CS = 0x33;
    static final int FIRST_TSS_SELECTOR = 0x40;

    /* Offsets of the stubs inside the stub page. */
    static final long SYSCALL_STUB = 0x000, RETURN_STUB = 0x010, EXCEPTION_STUBS = 0x100;
    /** Bytes of the return stub: {@code add rsp, 8} (4) and {@code iretq} (2). */
    static final long RETURN_STUB_SIZE = 6;
    static final int EXCEPTION_STUB_SIZE = 16;
    static final int SYSCALL_PORT = 0x10, EXCEPTION_PORT_BASE = 0x80, VECTORS = 32;

    /** Bytes the syscall stub has executed when its {@code out} exits: rip then points here. */
    static final long SYSCALL_STUB_EXIT = SYSCALL_STUB + 2;

    static long virt(long phys) {
        return KERNEL_BASE + phys;
    }

    static long slotPage(int slot) {
        return SLOTS + 0x1000L * slot;
    }

    /** Top of slot i's ring-0 stack, as a kernel virtual address. */
    static long ring0StackTop(int slot) {
        return virt(slotPage(slot) + 0x1000);
    }

    static int tssSelector(int slot) {
        return FIRST_TSS_SELECTOR + 16 * slot;
    }

    static boolean pushesErrorCode(int vector) {
        return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 || vector == 29 || vector == 30;
    }

    private static final long P = 1, W = 2, U = 4, NX = 1L << 63;

    static void write(GuestRam ram) {
        writeGdt(ram);
        writeIdt(ram);
        writeStubs(ram);
        writePageTables(ram);
    }

    private static void writeGdt(GuestRam ram) {
        ram.putLong(GDT + KERNEL_CS, 0x00af9b000000ffffL);
        ram.putLong(GDT + KERNEL_DS, 0x00cf93000000ffffL);
        ram.putLong(GDT + (USER_CS32 & ~3), 0x00cffb000000ffffL);
        ram.putLong(GDT + (USER_DS & ~3), 0x00cff3000000ffffL);
        ram.putLong(GDT + (USER_CS & ~3), 0x00affb000000ffffL);
        for (int slot = 0; slot < MAX_SLOTS; slot++) {
            long tss = virt(slotPage(slot));
            long low = TSS_LIMIT | (tss & 0xffffff) << 16 | 0x89L << 40 | ((tss >>> 24) & 0xff) << 56;
            ram.putLong(GDT + tssSelector(slot), low);
            ram.putLong(GDT + tssSelector(slot) + 8, tss >>> 32);
            // TSS.RSP0 (offset 4): where the CPU switches to on an exception from ring 3.
            ram.putLong(slotPage(slot) + 4, ring0StackTop(slot));
            writeIoBitmap(ram, slotPage(slot));
        }
    }

    /** The TSS with its I/O permission bitmap for ports 0..31 (the CPU reads two bytes). */
    static final int TSS_LIMIT = 0x68 + 4 - 1;

    /**
     * On the paravirtual KVM the syscall stub runs at CPL 3 (the vCPU stays in its emulated
     * user mode), and its {@code out} is allowed only by the I/O permission bitmap, as on
     * hardware with IOPL 0 (seen: with no bitmap the out raises #GP). The bitmap opens
     * exactly {@link #SYSCALL_PORT}; every other port stays closed to user code.
     */
    private static void writeIoBitmap(GuestRam ram, long tss) {
        ram.segment().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, tss + 0x66, (short) 0x68);
        for (int i = 0; i < 4; i++) {
            int bits = 0xff;
            if (i == SYSCALL_PORT / 8) bits &= ~(1 << (SYSCALL_PORT % 8));
            ram.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, tss + 0x68 + i, (byte) bits);
        }
    }

    static int gdtLimit() {
        return tssSelector(MAX_SLOTS) - 1;
    }

    private static void writeIdt(GuestRam ram) {
        for (int v = 0; v < VECTORS; v++) {
            long target = virt(STUBS + EXCEPTION_STUBS + (long) v * EXCEPTION_STUB_SIZE);
            // int3 and into are meant to be executed by user code (DPL 3), as on Linux.
            long typeAttr = (v == 3 || v == 4) ? 0xEE : 0x8E;
            long low = (target & 0xffff) | (long) KERNEL_CS << 16 | typeAttr << 40 | ((target >>> 16) & 0xffff) << 48;
            ram.putLong(IDT + 16L * v, low);
            ram.putLong(IDT + 16L * v + 8, target >>> 32);
        }
    }

    static int idtLimit() {
        return VECTORS * 16 - 1;
    }

    private static void put(GuestRam ram, long phys, int... bytes) {
        for (int i = 0; i < bytes.length; i++) ram.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, phys + i, (byte) bytes[i]);
    }

    private static void writeStubs(GuestRam ram) {
        // The whole page is ud2 so that a stray jump into it faults instead of sliding.
        for (long i = 0; i < 0x1000; i += 2) put(ram, STUBS + i, 0x0f, 0x0b);
        put(ram, STUBS + SYSCALL_STUB, 0xe6, SYSCALL_PORT);             // out SYSCALL_PORT, al
        put(ram, STUBS + RETURN_STUB, 0x48, 0x83, 0xc4, 0x08, 0x48, 0xcf); // add rsp, 8 ; iretq
        for (int v = 0; v < VECTORS; v++) {
            long at = STUBS + EXCEPTION_STUBS + (long) v * EXCEPTION_STUB_SIZE;
            // Every frame gets an error-code slot, so that one return stub serves all vectors.
            if (!pushesErrorCode(v)) {
                put(ram, at, 0x6a, 0x00);                               // push 0
                at += 2;
            }
            put(ram, at, 0xe6, EXCEPTION_PORT_BASE + v);                // out port, al
        }
    }

    private static void writePageTables(GuestRam ram) {
        ram.putLong(PDPT, PD | P | W | U);
        ram.putLong(PD, PT | P | W | U);
        for (long page = 0; page < RESERVED; page += 0x1000) {
            long flags;
            if (page == 0) continue;                                    // keep address 0 unmapped
            if (page == STUBS) flags = P | U;                           // user may execute, not write
            else if (page == PDPT || page == PD || page == PT) flags = P | NX;
            else flags = P | W | NX;
            ram.putLong(PT + (page >>> 12) * 8, page | flags);
        }
    }

    /** Builds the probe's page tables and code ({@code syscall}) and returns the PML4. */
    static long writeProbe(GuestRam ram) {
        ram.segment().asSlice(PROBE_PML4, 0x5000).fill((byte) 0);
        ram.putLong(PROBE_PML4, PROBE_PDPT | P | W | U);
        ram.putLong(PROBE_PML4 + 8L * KERNEL_PML4_INDEX, pml4Entry());
        ram.putLong(PROBE_PDPT, PROBE_PD | P | W | U);
        ram.putLong(PROBE_PD + 8L * (PROBE_USER_ADDRESS >>> 21), PROBE_PT | P | W | U);
        ram.putLong(PROBE_PT, PROBE_CODE | P | U);
        put(ram, PROBE_CODE, 0x0f, 0x05, 0x0f, 0x0b);                    // syscall ; ud2
        return PROBE_PML4;
    }

    /** The top-level entry that maps the kernel area; every PML4 carries it at index 511. */
    static long pml4Entry() {
        return PDPT | P | W | U;
    }
}
