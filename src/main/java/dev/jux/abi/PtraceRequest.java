package dev.jux.abi;

/** ptrace(2) request numbers, options and event codes (include/uapi/linux/ptrace.h, x86-64). */
public final class PtraceRequest {
    private PtraceRequest() {}

    public static final int TRACEME = 0, PEEKTEXT = 1, PEEKDATA = 2, PEEKUSER = 3, POKETEXT = 4, POKEDATA = 5,
            POKEUSER = 6, CONT = 7, KILL = 8, SINGLESTEP = 9, GETREGS = 12, SETREGS = 13, GETFPREGS = 14,
            SETFPREGS = 15, ATTACH = 16, DETACH = 17, SYSCALL = 24, SETOPTIONS = 0x4200, GETEVENTMSG = 0x4201,
            GETSIGINFO = 0x4202, SETSIGINFO = 0x4203, GETREGSET = 0x4204, SETREGSET = 0x4205, SEIZE = 0x4206,
            INTERRUPT = 0x4207, LISTEN = 0x4208, PEEKSIGINFO = 0x4209, GETSIGMASK = 0x420a, SETSIGMASK = 0x420b,
            GET_SYSCALL_INFO = 0x420e;

    public static final int O_TRACESYSGOOD = 1, O_TRACEFORK = 2, O_TRACEVFORK = 4, O_TRACECLONE = 8, O_TRACEEXEC = 0x10,
            O_TRACEVFORKDONE = 0x20, O_TRACEEXIT = 0x40, O_TRACESECCOMP = 0x80, O_EXITKILL = 0x100000,
            O_SUSPEND_SECCOMP = 0x200000;
    /** Every option Linux accepts (PTRACE_O_MASK). */
    public static final int O_MASK = 0xff | O_EXITKILL | O_SUSPEND_SECCOMP;

    public static final int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_EXEC = 4, EVENT_VFORK_DONE = 5,
            EVENT_EXIT = 6, EVENT_SECCOMP = 7, EVENT_STOP = 128;

    /** struct ptrace_syscall_info's op. */
    public static final int SYSCALL_INFO_NONE = 0, SYSCALL_INFO_ENTRY = 1, SYSCALL_INFO_EXIT = 2;

    /** The ELF note types PTRACE_GETREGSET knows. */
    public static final int NT_PRSTATUS = 1, NT_PRFPREG = 2, NT_X86_XSTATE = 0x202;

    /** AUDIT_ARCH_X86_64, ptrace_syscall_info's arch. */
    public static final int AUDIT_ARCH_X86_64 = 0xc000003e;
}
