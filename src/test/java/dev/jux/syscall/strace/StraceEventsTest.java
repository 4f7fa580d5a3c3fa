package dev.jux.syscall.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.Signal;
import org.junit.jupiter.api.Test;

/** Expected lines are strace 6.1's on the development host. */
class StraceEventsTest {
    @Test
    void faults() {
        assertEquals("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---",
                StraceEvents.signal(new SigInfo.Fault(Signal.SIGSEGV, SigCode.SEGV_MAPERR, 0x10)));
        assertEquals("--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---",
                StraceEvents.signal(new SigInfo.Fault(Signal.SIGSEGV, SigCode.SI_KERNEL, 0)));
        assertEquals("--- SIGILL {si_signo=SIGILL, si_code=ILL_ILLOPN, si_addr=0x5597814734ca} ---",
                StraceEvents.signal(new SigInfo.Fault(Signal.SIGILL, SigCode.ILL_ILLOPN, 0x5597814734caL)));
    }

    @Test
    void sentSignals() {
        assertEquals("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=23367, si_uid=0} ---",
                StraceEvents.signal(new SigInfo.Kill(Signal.SIGUSR1, SigCode.SI_USER, 23367, 0)));
        assertEquals("--- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_TKILL, si_pid=23367, si_uid=0} ---",
                StraceEvents.signal(new SigInfo.Kill(Signal.SIGUSR2, SigCode.SI_TKILL, 23367, 0)));
        assertEquals("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=23367, si_uid=0, si_int=7, si_ptr=0x7} ---",
                StraceEvents.signal(new SigInfo.Queue(Signal.SIGUSR1, SigCode.SI_QUEUE, 23367, 0, 7)));
        assertEquals("--- SIGALRM {si_signo=SIGALRM, si_code=SI_TIMER, si_timerid=0, si_overrun=0, si_int=4660, si_ptr=0x1234} ---",
                StraceEvents.signal(new SigInfo.Timer(Signal.SIGALRM, 0, 0, 0x1234)));
        assertEquals("--- SIGALRM {si_signo=SIGALRM, si_code=SI_KERNEL} ---",
                StraceEvents.signal(new SigInfo.Kernel(Signal.SIGALRM)));
        assertEquals("--- SIGIO {si_signo=SIGIO, si_code=POLL_IN, si_band=65, si_fd=3} ---",
                StraceEvents.signal(new SigInfo.Poll(Signal.SIGIO, SigCode.POLL_IN, 65, 3)));
        assertEquals("--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0x7f164e459829, "
                        + "si_syscall=__NR_getcwd, si_arch=AUDIT_ARCH_X86_64} ---",
                StraceEvents.signal(new SigInfo.Seccomp(0x7f164e459829L, 79, 0xc000003e, 5)));
    }

    @Test
    void children() {
        assertEquals("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=23368, si_uid=0, si_status=3, "
                + "si_utime=0, si_stime=0} ---", StraceEvents.signal(new SigInfo.Child(SigCode.CLD_EXITED, 23368, 0, 3, 0, 0)));
        assertEquals("--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=23369, si_uid=0, si_status=SIGKILL, "
                + "si_utime=0, si_stime=0} ---", StraceEvents.signal(new SigInfo.Child(SigCode.CLD_KILLED, 23369, 0, 9, 0, 0)));
    }

    @Test
    void endsOfProcesses() {
        assertEquals("+++ exited with 0 +++", StraceEvents.exited(0));
        assertEquals("+++ exited with 44 +++", StraceEvents.exited(300));
        assertEquals("+++ killed by SIGSEGV +++", StraceEvents.killed(Signal.SIGSEGV, false));
        assertEquals("+++ killed by SIGSEGV (core dumped) +++", StraceEvents.killed(Signal.SIGSEGV, true));
    }
}
