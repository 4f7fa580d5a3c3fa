package dev.jux.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SigCode;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.Signal;
import dev.jux.platform.ExtendedState;
import dev.jux.platform.UserRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The byte layout of Linux's x86-64 rt_sigframe, its placement on the stack and the sigaltstack rules. */
class SignalFrameTest {
    private static final int XSAVE = 2432;

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void theStructSizesAreLinuxs() {
        assertEquals(440, SignalFrame.SIZE);
        assertEquals(8 + 304, SignalFrame.INFO);
        assertEquals(304, SignalFrame.UC_SIZE);
        assertEquals(40 + 256, SignalFrame.UC_SIGMASK);
        assertEquals(256, SignalFrame.SC_SIZE);
        // glibc's gregs: REG_RIP is 16, REG_CSGSFS 18, REG_CR2 22; fpregs follows at 23.
        assertEquals(16 * 8, SignalFrame.SC_RIP);
        assertEquals(18 * 8, SignalFrame.SC_CS);
        assertEquals(22 * 8, SignalFrame.SC_CR2);
        assertEquals(23 * 8, SignalFrame.SC_FPSTATE);
    }

    @Test
    void aFrameSkipsTheRedZoneAndLeavesTheHandlerCallAligned() {
        for (long sp = 0x7fff_0000L; sp < 0x7fff_0000L + 64; sp += 8) {
            SignalFrame.Placement p = SignalFrame.place(sp, false, AltStack.DISABLED, XSAVE);
            assertEquals(0, p.fpstate() % 64);
            assertEquals(0, (p.frame() + 8) % 16, "(rsp + 8) % 16 == 0 at handler entry");
            assertTrue(p.fpstate() + XSAVE + 4 <= sp - 128, "the red zone is left alone");
            assertTrue(p.frame() + SignalFrame.SIZE <= p.fpstate());
            assertTrue(p.fpstate() - (p.frame() + SignalFrame.SIZE) < 64 + 16 + 8);
        }
    }

    @Test
    void saOnstackMovesTheFrameToTheTopOfTheAlternateStack() {
        AltStack alt = new AltStack(0x1000_0000L, 0x10000, 0);
        SignalFrame.Placement p = SignalFrame.place(0x7fff_0000L, true, alt, XSAVE);
        assertTrue(alt.contains(p.frame()));
        assertTrue(p.fpstate() + XSAVE + 4 <= 0x1001_0000L);
        assertTrue(p.fpstate() > 0x1001_0000L - XSAVE - 4 - 64);
        // Already on it: below the current sp, red zone skipped.
        long sp = p.frame() - 100;
        SignalFrame.Placement nested = SignalFrame.place(sp, true, alt, XSAVE);
        assertTrue(nested.fpstate() + XSAVE + 4 <= sp - 128);
        // Without SA_ONSTACK the normal stack is used even with an alternate stack set up.
        assertEquals(SignalFrame.place(0x7fff_0000L, false, AltStack.DISABLED, XSAVE),
                SignalFrame.place(0x7fff_0000L, false, alt, XSAVE));
    }

    @Test
    void aFrameThatOverflowsTheAlternateStackIsBogus() {
        AltStack small = new AltStack(0x1000_0000L, 2048, 0);
        assertTrue(SignalFrame.place(0x7fff_0000L, true, small, XSAVE).isBogus());
        AltStack alt = new AltStack(0x1000_0000L, 0x10000, 0);
        assertTrue(SignalFrame.place(0x1000_0000L + 1000, true, alt, XSAVE).isBogus(), "nested, near the bottom");
        // SS_AUTODISARM: the kernel never thinks it is on the stack, so it starts again at the top.
        AltStack disarming = new AltStack(0x1000_0000L, 0x10000, AltStack.SS_AUTODISARM);
        SignalFrame.Placement p = SignalFrame.place(0x1000_0000L + 1000, true, disarming, XSAVE);
        assertFalse(p.isBogus());
        assertTrue(p.frame() > 0x1000_f000L);
    }

    @Test
    void theUcontextHoldsRegistersMaskStackAndFpstatePointer() {
        UserRegisters r = new UserRegisters();
        r.r8 = 8; r.r15 = 15; r.rdi = 0xd1; r.rsi = 0x51; r.rbp = 0xb9; r.rbx = 0xb8; r.rdx = 0xd8;
        r.rax = -4; r.rcx = 0xc8; r.rsp = 0x7ffd0000L; r.rip = 0x401234; r.rflags = 0x246;
        AltStack alt = new AltStack(0x1000_0000L, 0x10000, AltStack.SS_AUTODISARM);
        byte[] f = SignalFrame.encode(r, new SignalFrame.Saved(0x40abcd, 0x1234, alt, 14, 6, 0xdead000, 0x7ffcf000L));
        ByteBuffer b = le(f);
        int m = 8 + 40;
        assertEquals(0x40abcd, b.getLong(0), "pretcode is the restorer");
        assertEquals(7, b.getLong(8), "UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS");
        assertEquals(0, b.getLong(16), "uc_link");
        assertEquals(0x1000_0000L, b.getLong(24));
        assertEquals(AltStack.SS_AUTODISARM, b.getInt(32));
        assertEquals(0x10000, b.getLong(40));
        assertEquals(8, b.getLong(m));
        assertEquals(15, b.getLong(m + 56));
        assertEquals(0xd1, b.getLong(m + 64));
        assertEquals(-4, b.getLong(m + 104));
        assertEquals(0x7ffd0000L, b.getLong(m + 120));
        assertEquals(0x401234, b.getLong(m + 128));
        assertEquals(0x246, b.getLong(m + 136));
        assertEquals(0x33, b.getShort(m + 144));
        assertEquals(0, b.getShort(m + 146));
        assertEquals(0, b.getShort(m + 148));
        assertEquals(0x2b, b.getShort(m + 150));
        assertEquals(6, b.getLong(m + 152), "err");
        assertEquals(14, b.getLong(m + 160), "trapno");
        assertEquals(0x1234, b.getLong(m + 168), "oldmask");
        assertEquals(0xdead000, b.getLong(m + 176), "cr2");
        assertEquals(0x7ffcf000L, b.getLong(m + 184), "fpstate");
        assertEquals(0x1234, b.getLong(8 + 296), "uc_sigmask");
        assertEquals(SignalFrame.INFO, f.length);
    }

    @Test
    void sigreturnTakesBackRegistersButOnlyTheUserFlags() {
        UserRegisters r = new UserRegisters();
        r.rax = 1; r.rbx = 2; r.r11 = 3; r.rsp = 0x7000; r.rip = 0x400000; r.rflags = 0x202 | 0x1 | 0x400;
        r.fsBase = 0xf5;
        byte[] f = SignalFrame.encode(r, new SignalFrame.Saved(0, 0x55, AltStack.DISABLED, 0, 0, 0, 0x6000));
        le(f).putLong(8 + 40 + 136, 0x3000 | 0x200000 | 0x1 | 0x100);   // IOPL 3, ID, CF, TF
        byte[] uc = java.util.Arrays.copyOfRange(f, 8, 8 + SignalFrame.UC_SIZE);
        UserRegisters back = new UserRegisters();
        back.rflags = 0x202;
        back.fsBase = 0x77;
        SignalFrame.Restored res = SignalFrame.decode(uc, back);
        assertEquals(1, back.rax);
        assertEquals(2, back.rbx);
        assertEquals(3, back.r11);
        assertEquals(0x7000, back.rsp);
        assertEquals(0x400000, back.rip);
        assertEquals(0x202 | 0x1 | 0x100, back.rflags, "IOPL and ID are not the user's to set");
        assertEquals(0x77, back.fsBase, "the FS base is not in the frame");
        assertEquals(0x55, res.mask());
        assertEquals(0x6000, res.fpstate());
        assertEquals(AltStack.DISABLED, res.stack());
    }

    @Test
    void theFpstateCarriesTheSoftwareBytesAndBothMagics() {
        byte[] xsave = ExtendedState.initial(XSAVE);
        byte[] fp = SignalFrame.encodeFpstate(xsave, 0xe7);
        ByteBuffer b = le(fp);
        assertEquals(XSAVE + 4, fp.length);
        assertEquals(0x46505853, b.getInt(464), "FP_XSTATE_MAGIC1");
        assertEquals(XSAVE + 4, b.getInt(468), "extended_size");
        assertEquals(0xe7, b.getLong(472), "xfeatures");
        assertEquals(XSAVE, b.getInt(480), "xstate_size");
        assertEquals(0x46505845, b.getInt(XSAVE), "FP_XSTATE_MAGIC2");
        assertEquals(3, b.getLong(512) & 3, "x87 and SSE always marked present");
        assertEquals(0x1f80, b.getInt(24));
        SignalFrame.SwBytes sw = SignalFrame.SwBytes.of(fp);
        assertTrue(sw.claimsXsave(XSAVE));
        assertFalse(sw.claimsXsave(XSAVE - 64), "larger than the thread's own state");
    }

    @Test
    void siginfoIsLaidOutPerKind() {
        ByteBuffer q = le(SigInfoLayout.encode(new SigInfo.Queue(Signal.SIGUSR1, SigCode.SI_QUEUE, 42, 1000, 7)));
        assertEquals(10, q.getInt(0));
        assertEquals(0, q.getInt(4));
        assertEquals(-1, q.getInt(8));
        assertEquals(42, q.getInt(16));
        assertEquals(1000, q.getInt(20));
        assertEquals(7, q.getLong(24));
        ByteBuffer f = le(SigInfoLayout.encode(new SigInfo.Fault(Signal.SIGSEGV, SigCode.SEGV_MAPERR, 0x10)));
        assertEquals(1, f.getInt(8));
        assertEquals(0x10, f.getLong(16));
        assertEquals(128, SigInfoLayout.encode(new SigInfo.Kernel(Signal.SIGALRM)).length);
    }

    @Test
    void sigaltstackRulesAreLinuxs() {
        AltStack alt = new AltStack(0x1000_0000L, 0x10000, 0);
        long outside = 0x7fff_0000L, inside = 0x1000_8000L;
        assertEquals(alt, AltStack.change(AltStack.DISABLED, outside, alt));
        assertEquals(Errno.EPERM, assertThrows(LinuxException.class, () -> AltStack.change(alt, inside, AltStack.DISABLED)).errno());
        assertEquals(Errno.EINVAL, assertThrows(LinuxException.class,
                () -> AltStack.change(alt, outside, new AltStack(0, 0x10000, 5))).errno());
        assertEquals(Errno.ENOMEM, assertThrows(LinuxException.class,
                () -> AltStack.change(alt, outside, new AltStack(0x2000, 2047, 0))).errno());
        assertEquals(new AltStack(0, 0, AltStack.SS_DISABLE), AltStack.change(alt, outside, new AltStack(0x5000, 1, AltStack.SS_DISABLE)));
        assertEquals(AltStack.SS_ONSTACK, alt.reportedFlags(inside));
        assertEquals(0, alt.reportedFlags(outside));
        AltStack disarming = new AltStack(0x1000_0000L, 0x10000, AltStack.SS_AUTODISARM);
        assertEquals(AltStack.SS_AUTODISARM, disarming.reportedFlags(inside), "never on an SS_AUTODISARM stack");
        assertEquals(AltStack.SS_DISABLE, AltStack.DISABLED.reportedFlags(inside));
    }
}
