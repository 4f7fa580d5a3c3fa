package dev.jux.abi;

/**
 * siginfo_t.si_code values ({@code <asm-generic/siginfo.h>}). Codes at or below zero and
 * SI_KERNEL mean the same for every signal; positive codes depend on the signal.
 */
public final class SigCode {
    private SigCode() {}

    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_QUEUE = -1;
    public static final int SI_TIMER = -2;
    public static final int SI_MESGQ = -3;
    public static final int SI_ASYNCIO = -4;
    public static final int SI_SIGIO = -5;
    public static final int SI_TKILL = -6;
    public static final int SI_DETHREAD = -7;
    public static final int SI_ASYNCNL = -60;

    public static final int ILL_ILLOPC = 1;
    public static final int ILL_ILLOPN = 2;
    public static final int ILL_ILLADR = 3;
    public static final int ILL_ILLTRP = 4;
    public static final int ILL_PRVOPC = 5;
    public static final int ILL_PRVREG = 6;
    public static final int ILL_COPROC = 7;
    public static final int ILL_BADSTK = 8;
    public static final int ILL_BADIADDR = 9;

    public static final int FPE_INTDIV = 1;
    public static final int FPE_INTOVF = 2;
    public static final int FPE_FLTDIV = 3;
    public static final int FPE_FLTOVF = 4;
    public static final int FPE_FLTUND = 5;
    public static final int FPE_FLTRES = 6;
    public static final int FPE_FLTINV = 7;
    public static final int FPE_FLTSUB = 8;
    public static final int FPE_FLTUNK = 14;
    public static final int FPE_CONDTRAP = 15;

    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;
    public static final int SEGV_BNDERR = 3;
    public static final int SEGV_PKUERR = 4;

    public static final int BUS_ADRALN = 1;
    public static final int BUS_ADRERR = 2;
    public static final int BUS_OBJERR = 3;
    public static final int BUS_MCEERR_AR = 4;
    public static final int BUS_MCEERR_AO = 5;

    public static final int TRAP_BRKPT = 1;
    public static final int TRAP_TRACE = 2;
    public static final int TRAP_BRANCH = 3;
    public static final int TRAP_HWBKPT = 4;
    public static final int TRAP_UNK = 5;

    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;

    public static final int POLL_IN = 1;
    public static final int POLL_OUT = 2;
    public static final int POLL_MSG = 3;
    public static final int POLL_ERR = 4;
    public static final int POLL_PRI = 5;
    public static final int POLL_HUP = 6;

    public static final int SYS_SECCOMP = 1;

    private static final ValueTable GENERIC = ValueTable.builder("SI_???")
            .add("SI_USER", SI_USER).add("SI_KERNEL", SI_KERNEL).add("SI_QUEUE", SI_QUEUE)
            .add("SI_TIMER", SI_TIMER).add("SI_MESGQ", SI_MESGQ).add("SI_ASYNCIO", SI_ASYNCIO)
            .add("SI_SIGIO", SI_SIGIO).add("SI_TKILL", SI_TKILL).add("SI_DETHREAD", SI_DETHREAD)
            .add("SI_ASYNCNL", SI_ASYNCNL)
            .build();

    private static final String[] ILL = {null, "ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR",
        "ILL_ILLTRP", "ILL_PRVOPC", "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK", "ILL_BADIADDR"};
    private static final String[] FPE = {null, "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV",
        "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB", null, null, null,
        null, null, "FPE_FLTUNK", "FPE_CONDTRAP"};
    private static final String[] SEGV = {null, "SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR",
        "SEGV_PKUERR"};
    private static final String[] BUS = {null, "BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR",
        "BUS_MCEERR_AR", "BUS_MCEERR_AO"};
    private static final String[] TRAP = {null, "TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH",
        "TRAP_HWBKPT", "TRAP_UNK"};
    private static final String[] CLD = {null, "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED",
        "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
    private static final String[] POLL = {null, "POLL_IN", "POLL_OUT", "POLL_MSG", "POLL_ERR",
        "POLL_PRI", "POLL_HUP"};
    private static final String[] SYS = {null, "SYS_SECCOMP"};

    /** The name of {@code code} for {@code signal} ("SEGV_MAPERR", "SI_USER"); decimal if none. */
    public static String render(Signal signal, int code) {
        String name = null;
        if (code > 0 && code != SI_KERNEL) {
            String[] table = switch (signal) {
                case SIGILL -> ILL;
                case SIGFPE -> FPE;
                case SIGSEGV -> SEGV;
                case SIGBUS -> BUS;
                case SIGTRAP -> TRAP;
                case SIGCHLD -> CLD;
                case SIGIO -> POLL;
                case SIGSYS -> SYS;
                default -> null;
            };
            if (table != null && code < table.length) name = table[code];
        } else {
            name = GENERIC.name(code);
        }
        return name != null ? name : Integer.toString(code);
    }
}
