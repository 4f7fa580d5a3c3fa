package dev.jux.platform.kvm;

import dev.jux.platform.UserRegisters;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.jux.platform.kvm.KvmApi.*;

/**
 * The general registers in kvm_run's sync-regs area (struct kvm_regs): KVM fills it at every
 * exit and loads it at the next KVM_RUN when marked dirty, so moving registers costs no ioctl.
 */
final class SyncRegisters {
    private final MemorySegment run;
    private final MemorySegment regs;

    SyncRegisters(MemorySegment run) {
        this.run = run;
        this.regs = run.asSlice(RUN_SYNC, REGS_SIZE);
    }

    long get(long field) {
        return regs.get(ValueLayout.JAVA_LONG, field);
    }

    void set(long field, long value) {
        regs.set(ValueLayout.JAVA_LONG, field, value);
    }

    /** Copies the 15 registers other than RSP, RIP and RFLAGS into the vCPU. */
    void writeGeneral(UserRegisters r) {
        set(R_RAX, r.rax);
        set(R_RBX, r.rbx);
        set(R_RCX, r.rcx);
        set(R_RDX, r.rdx);
        set(R_RSI, r.rsi);
        set(R_RDI, r.rdi);
        set(R_RBP, r.rbp);
        set(R_R8, r.r8);
        set(R_R9, r.r9);
        set(R_R10, r.r10);
        set(R_R11, r.r11);
        set(R_R12, r.r12);
        set(R_R13, r.r13);
        set(R_R14, r.r14);
        set(R_R15, r.r15);
    }

    /** Copies the 15 registers other than RSP, RIP and RFLAGS out of the vCPU. */
    void readGeneral(UserRegisters r) {
        r.rax = get(R_RAX);
        r.rbx = get(R_RBX);
        r.rcx = get(R_RCX);
        r.rdx = get(R_RDX);
        r.rsi = get(R_RSI);
        r.rdi = get(R_RDI);
        r.rbp = get(R_RBP);
        r.r8 = get(R_R8);
        r.r9 = get(R_R9);
        r.r10 = get(R_R10);
        r.r11 = get(R_R11);
        r.r12 = get(R_R12);
        r.r13 = get(R_R13);
        r.r14 = get(R_R14);
        r.r15 = get(R_R15);
    }

    /** Sets where the vCPU resumes and marks the registers dirty, so KVM loads them. */
    void resumeAt(long rip, long rsp, long rflags) {
        set(R_RIP, rip);
        set(R_RSP, rsp);
        set(R_RFLAGS, rflags);
        run.set(ValueLayout.JAVA_LONG, RUN_DIRTY_REGS, SYNC_REGS);
    }

    /** Resumes with whatever state KVM holds (nothing to load). */
    void keepVcpuState() {
        run.set(ValueLayout.JAVA_LONG, RUN_DIRTY_REGS, 0);
    }
}
