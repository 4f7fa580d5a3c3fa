package dev.jux.platform.kvm;

/** The KVM ioctl numbers and struct offsets Jux uses (from linux/kvm.h, x86-64). */
final class KvmApi {
    private KvmApi() {}

    static final long GET_API_VERSION = 0xae00, CREATE_VM = 0xae01, CHECK_EXTENSION = 0xae03,
            GET_VCPU_MMAP_SIZE = 0xae04, GET_SUPPORTED_CPUID = 0xc008ae05L,
            SET_USER_MEMORY_REGION = 0x4020ae46L, CREATE_VCPU = 0xae41, RUN = 0xae80,
            GET_SREGS = 0x8138ae83L, SET_SREGS = 0x4138ae84L, SET_MSRS = 0x4008ae89L,
            SET_CPUID2 = 0x4008ae90L, SET_SIGNAL_MASK = 0x4004ae8bL, SET_XCRS = 0x4188aea7L,
            SET_REGS = 0x4090ae82L,
            /* struct kvm_xsave is 4096 bytes: enough for x87..AVX-512 (2688); AMX would need XSAVE2. */
            GET_XSAVE = 0x9000aea4L, SET_XSAVE = 0x5000aea5L;
    static final int XSAVE_BUFFER = 4096;

    static final int CAP_SYNC_REGS = 0x4a, CAP_IMMEDIATE_EXIT = 0x88, CAP_XCRS = 0x38, CAP_MAX_VCPUS = 0x42, CAP_XSAVE = 55;

    static final int EXIT_IO = 2, EXIT_HLT = 5, EXIT_MMIO = 6, EXIT_SHUTDOWN = 8,
            EXIT_FAIL_ENTRY = 9, EXIT_INTR = 10, EXIT_INTERNAL_ERROR = 17;

    /* struct kvm_run */
    static final long RUN_IMMEDIATE_EXIT = 1, RUN_EXIT_REASON = 8, RUN_IO_DIRECTION = 32,
            RUN_IO_PORT = 34, RUN_HW_REASON = 32, RUN_VALID_REGS = 288, RUN_DIRTY_REGS = 296,
            RUN_SYNC = 304;
    static final long SYNC_REGS = 1, SYNC_SREGS = 2;

    /* struct kvm_regs inside kvm_run.s.regs */
    static final long R_RAX = 0, R_RBX = 8, R_RCX = 16, R_RDX = 24, R_RSI = 32, R_RDI = 40,
            R_RSP = 48, R_RBP = 56, R_R8 = 64, R_R9 = 72, R_R10 = 80, R_R11 = 88, R_R12 = 96,
            R_R13 = 104, R_R14 = 112, R_R15 = 120, R_RIP = 128, R_RFLAGS = 136, REGS_SIZE = 144;

    /* struct kvm_sregs (also at RUN_SYNC + REGS_SIZE) and struct kvm_segment */
    static final long S_CS = 0, S_DS = 24, S_ES = 48, S_FS = 72, S_GS = 96, S_SS = 120,
            S_TR = 144, S_LDT = 168, S_GDT = 192, S_IDT = 208, S_CR0 = 224, S_CR2 = 232,
            S_CR3 = 240, S_CR4 = 248, S_EFER = 264, SREGS_SIZE = 312;
    static final long SEG_BASE = 0, SEG_LIMIT = 8, SEG_SELECTOR = 12, SEG_TYPE = 14,
            SEG_PRESENT = 15, SEG_DPL = 16, SEG_DB = 17, SEG_S = 18, SEG_L = 19, SEG_G = 20,
            SEG_UNUSABLE = 22;

    static final int MSR_STAR = 0xC0000081, MSR_LSTAR = 0xC0000082, MSR_FMASK = 0xC0000084,
            MSR_FS_BASE = 0xC0000100, MSR_GS_BASE = 0xC0000101;
}
