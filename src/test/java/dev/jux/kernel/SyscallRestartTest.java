package dev.jux.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jux.abi.Errno;
import dev.jux.abi.SignalAction;
import dev.jux.platform.UserRegisters;
import org.junit.jupiter.api.Test;

/** handle_signal and arch_do_signal_or_restart's table of restart codes. */
class SyscallRestartTest {
    private static final long NR = 0, RIP = 0x401002;

    private static UserRegisters after(Errno code) {
        UserRegisters r = new UserRegisters();
        r.rax = -code.number();
        r.rip = RIP;
        return r;
    }

    private static TaskSignals inCall() {
        TaskSignals s = new TaskSignals();
        s.setSyscallNumber(NR);
        return s;
    }

    private static void assertRestarted(UserRegisters r, long nr) {
        assertEquals(nr, r.rax);
        assertEquals(RIP - 2, r.rip);
    }

    private static void assertEintr(UserRegisters r) {
        assertEquals(-Errno.EINTR.number(), r.rax);
        assertEquals(RIP, r.rip);
    }

    @Test
    void withAHandler() {
        UserRegisters r = after(Errno.ERESTARTSYS);
        SyscallRestart.beforeHandler(inCall(), r, 0);
        assertEintr(r);
        r = after(Errno.ERESTARTSYS);
        SyscallRestart.beforeHandler(inCall(), r, SignalAction.SA_RESTART);
        assertRestarted(r, NR);
        r = after(Errno.ERESTARTNOINTR);
        SyscallRestart.beforeHandler(inCall(), r, 0);
        assertRestarted(r, NR);
        for (Errno e : new Errno[] {Errno.ERESTARTNOHAND, Errno.ERESTART_RESTARTBLOCK}) {
            r = after(e);
            SyscallRestart.beforeHandler(inCall(), r, SignalAction.SA_RESTART);
            assertEintr(r);
        }
    }

    @Test
    void withoutAHandlerEverythingRestarts() {
        for (Errno e : new Errno[] {Errno.ERESTARTSYS, Errno.ERESTARTNOINTR, Errno.ERESTARTNOHAND}) {
            UserRegisters r = after(e);
            SyscallRestart.withoutHandler(inCall(), r);
            assertRestarted(r, NR);
        }
        UserRegisters r = after(Errno.ERESTART_RESTARTBLOCK);
        SyscallRestart.withoutHandler(inCall(), r);
        assertRestarted(r, 219);
    }

    @Test
    void onlyOnceAndOnlyForASystemCall() {
        TaskSignals s = inCall();
        UserRegisters r = after(Errno.ERESTARTSYS);
        SyscallRestart.beforeHandler(s, r, 0);
        SyscallRestart.withoutHandler(s, r);
        assertEintr(r);
        r = after(Errno.ERESTARTSYS);
        SyscallRestart.withoutHandler(new TaskSignals(), r);
        assertEquals(-Errno.ERESTARTSYS.number(), r.rax, "not in a system call (sigreturn restored this rax)");
    }
}
