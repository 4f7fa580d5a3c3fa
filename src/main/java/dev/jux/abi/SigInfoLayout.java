package dev.jux.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * siginfo_t as x86-64 user space sees it ({@code <asm-generic/siginfo.h>}): 128 bytes, si_signo,
 * si_errno and si_code ints, then the union at offset 16 laid out per {@link SigInfo} record.
 */
public final class SigInfoLayout {
    private SigInfoLayout() {}

    public static final int SIZE = 128;
    public static final int SIGNO = 0, ERRNO = 4, CODE = 8;
    /** kill/rt/chld: si_pid, si_uid; timer: si_tid, si_overrun. */
    public static final int PID = 16, UID = 20;
    /** rt/timer: si_value (union sigval, 8 bytes); chld: si_status (int). */
    public static final int VALUE = 24, STATUS = 24;
    /** chld: si_utime, si_stime (clock_t). */
    public static final int UTIME = 32, STIME = 40;
    /** fault: si_addr; poll: si_band; sys: si_call_addr. */
    public static final int ADDR = 16;
    /** poll: si_fd; sys: si_syscall, si_arch. */
    public static final int FD = 24, SYSCALL = 24, ARCH = 28;

    public static byte[] encode(SigInfo info) {
        byte[] out = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SIGNO, info.signal().number());
        b.putInt(CODE, info.code());
        switch (info) {
            case SigInfo.Kill k -> b.putInt(PID, k.pid()).putInt(UID, k.uid());
            case SigInfo.Queue q -> b.putInt(PID, q.pid()).putInt(UID, q.uid()).putLong(VALUE, q.value());
            case SigInfo.Timer t -> b.putInt(PID, t.timerId()).putInt(UID, t.overrun()).putLong(VALUE, t.value());
            case SigInfo.Child c -> b.putInt(PID, c.pid()).putInt(UID, c.uid()).putInt(STATUS, c.status())
                    .putLong(UTIME, c.utime()).putLong(STIME, c.stime());
            case SigInfo.Fault f -> b.putLong(ADDR, f.addr());
            case SigInfo.Poll p -> b.putLong(ADDR, p.band()).putInt(FD, p.fd());
            case SigInfo.Kernel k -> { }
            case SigInfo.Seccomp s -> b.putInt(ERRNO, s.errno()).putLong(ADDR, s.callAddr())
                    .putInt(SYSCALL, s.syscall()).putInt(ARCH, s.arch());
        }
        return out;
    }
}
