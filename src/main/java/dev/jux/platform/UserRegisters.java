package dev.jux.platform;

/**
 * A thread's user-mode integer register state, as the kernel reads and changes it. The platform
 * loads it into the CPU before running guest code and stores it back at every trap. Field
 * names follow the x86-64 registers; {@code rflags} never shows bits that only the platform
 * needs (such as IOPL on a paravirtual KVM).
 */
public final class UserRegisters {
    public long rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
    public long r8, r9, r10, r11, r12, r13, r14, r15;
    public long rip, rflags = 0x202;
    public long fsBase, gsBase;

    /** The six system-call argument registers in ABI order (rdi, rsi, rdx, r10, r8, r9). */
    public long arg(int i) {
        return switch (i) {
            case 0 -> rdi;
            case 1 -> rsi;
            case 2 -> rdx;
            case 3 -> r10;
            case 4 -> r8;
            case 5 -> r9;
            default -> throw new IllegalArgumentException("syscall argument " + i);
        };
    }

    public void copyFrom(UserRegisters o) {
        rax = o.rax; rbx = o.rbx; rcx = o.rcx; rdx = o.rdx; rsi = o.rsi; rdi = o.rdi; rsp = o.rsp; rbp = o.rbp;
        r8 = o.r8; r9 = o.r9; r10 = o.r10; r11 = o.r11; r12 = o.r12; r13 = o.r13; r14 = o.r14; r15 = o.r15;
        rip = o.rip; rflags = o.rflags; fsBase = o.fsBase; gsBase = o.gsBase;
    }
}
