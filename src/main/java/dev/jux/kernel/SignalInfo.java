package dev.jux.kernel;

/**
 * A signal's siginfo: number, si_code and the fields that code uses. Codes as Linux defines
 * them (asm-generic/siginfo.h).
 */
public record SignalInfo(int signo, int code, long address, int pid, int uid) {
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2;
    public static final int BUS_ADRALN = 1;
    public static final int ILL_ILLOPN = 2;
    public static final int FPE_INTDIV = 1, FPE_FLTINV = 7;
    public static final int TRAP_BRKPT = 1, TRAP_TRACE = 2;

    public static SignalInfo fault(int signo, int code, long address) {
        return new SignalInfo(signo, code, address, 0, 0);
    }

    public static SignalInfo fromProcess(int signo, int code, int pid, int uid) {
        return new SignalInfo(signo, code, 0, pid, uid);
    }
}
