package dev.jux.kernel;

import dev.jux.abi.LinuxException;
import dev.jux.abi.SigInfo;
import dev.jux.abi.SigInfoLayout;
import dev.jux.abi.Signal;
import dev.jux.abi.SignalAction;
import dev.jux.platform.Context;
import dev.jux.platform.ExtendedState;
import dev.jux.platform.UserRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Running user signal handlers, as arch/x86/kernel/signal.c and signal_64.c do: the frame on
 * the user stack, the registers at handler entry, the mask during the handler, and
 * rt_sigreturn taking it all back.
 */
final class SignalDelivery {
    private SignalDelivery() {}

    /** handle_signal: settle an interrupted call, write the frame, enter the handler. */
    static void handle(Task t, SigInfo info, SignalDisposition action) {
        int sig = info.signal().number();
        if ((action.flags() & SignalAction.SA_RESETHAND) != 0) {
            // get_signal: SA_RESETHAND (SA_ONESHOT) resets only the handler; flags and mask stay.
            t.group().setAction(sig, new SignalDisposition(SignalAction.SIG_DFL, action.flags(), action.restorer(), action.mask()));
        }
        TaskSignals s = t.signals();
        SyscallRestart.beforeHandler(s, t.registers(), action.flags());
        if (t.kernel().tracer() != null) t.kernel().tracer().signal(t, info);
        if (!setupFrame(t, info, action)) {
            forceSigsegv(t, sig);
            return;
        }
        // signal_delivered: the handler runs with the mask | sa_mask | the signal itself.
        long mask = t.signalMask() | action.mask();
        if ((action.flags() & SignalAction.SA_NODEFER) == 0) mask |= SignalSet.bit(sig);
        t.setSignalMask(mask);
        if ((s.altStack().flags() & AltStack.SS_AUTODISARM) != 0) s.setAltStack(AltStack.DISABLED);
    }

    /** No (further) handler to run: restart an interrupted call, put back sigsuspend's mask. */
    static void finish(Task t) {
        SyscallRestart.withoutHandler(t.signals(), t.registers());
        Long saved = t.signals().takeSavedMask();
        if (saved != null) t.setSignalMask(saved);
    }

    /** x64_setup_rt_frame; false where Linux fails with EFAULT (and then forces SIGSEGV). */
    private static boolean setupFrame(Task t, SigInfo info, SignalDisposition action) {
        // x86-64 has no kernel-provided return trampoline: without SA_RESTORER the frame is refused.
        if ((action.flags() & SignalAction.SA_RESTORER) == 0) return false;
        TaskSignals s = t.signals();
        UserRegisters r = t.registers();
        Context cpu = t.cpu();
        byte[] xsave = cpu.extendedState();
        SignalFrame.Placement p = SignalFrame.place(r.rsp, (action.flags() & SignalAction.SA_ONSTACK) != 0, s.altStack(), xsave.length);
        if (p.isBogus()) return false;
        long mask = s.takeMaskToSave(t.signalMask());
        try {
            t.memory().write(p.fpstate(), SignalFrame.encodeFpstate(xsave, cpu.extendedFeatures()));
            byte[] frame = SignalFrame.encode(r, new SignalFrame.Saved(action.restorer(), mask, s.altStack(),
                    s.trapNo(), s.errorCode(), s.cr2(), p.fpstate()));
            t.memory().write(p.frame(), frame);
            if ((action.flags() & SignalAction.SA_SIGINFO) != 0) {
                byte[] si = SigInfoLayout.encode(info);
                t.memory().write(p.frame() + SignalFrame.INFO, si);
            }
        } catch (LinuxException e) {
            return false;
        }
        r.rdi = info.signal().number();
        r.rax = 0;   // for handlers declared without a prototype (varargs)
        // rsi and rdx point at info and uc even without SA_SIGINFO, as on Linux.
        r.rsi = p.frame() + SignalFrame.INFO;
        r.rdx = p.frame() + SignalFrame.UC;
        r.rip = action.handler();
        r.rsp = p.frame();
        r.rflags &= ~SignalFrame.HANDLER_CLEARS;
        cpu.setExtendedState(ExtendedState.initial(xsave.length));   // fpu__clear_user_states
        return true;
    }

    /** force_sigsegv: a frame that cannot be written kills with SIGSEGV if SIGSEGV itself failed. */
    static void forceSigsegv(Task t, int sig) {
        t.force(new SigInfo.Kernel(Signal.SIGSEGV), sig == Signal.SIGSEGV.number());
    }

    /** rt_sigreturn: returns the restored rax, which the syscall layer leaves in place. */
    static long sigreturn(Task t) {
        UserRegisters r = t.registers();
        TaskSignals s = t.signals();
        long frame = r.rsp - 8;   // the handler's ret popped pretcode
        s.setRestartBlock(null);
        s.setSyscallNumber(-1);
        try {
            byte[] uc = new byte[SignalFrame.UC_SIZE];
            t.memory().read(frame + SignalFrame.UC, uc, 0, uc.length);
            UserRegisters next = new UserRegisters();
            next.copyFrom(r);
            SignalFrame.Restored back = SignalFrame.decode(uc, next);
            t.setSignalMask(back.mask());
            r.copyFrom(next);
            restoreFpu(t, back.fpstate());
            restoreAltStack(t, frame + 8, back.stack());
        } catch (LinuxException | BadFrame e) {
            t.force(new SigInfo.Kernel(Signal.SIGSEGV), false);
            return 0;
        }
        return r.rax;
    }

    private static final class BadFrame extends Exception {
        BadFrame(String why) {
            super(why, null, false, false);
        }
    }

    /** fpu__restore_sig: no fpstate means the initial state; a bad one fails the sigreturn. */
    private static void restoreFpu(Task t, long fpstate) throws BadFrame {
        Context cpu = t.cpu();
        int size = t.signals().xsaveSize(cpu);
        if (fpstate == 0) {
            cpu.setExtendedState(ExtendedState.initial(size));
            return;
        }
        byte[] legacy = new byte[ExtendedState.LEGACY_SIZE];
        t.memory().read(fpstate, legacy, 0, legacy.length);
        SignalFrame.SwBytes sw = SignalFrame.SwBytes.of(legacy);
        byte[] image = null;
        if (sw.claimsXsave(size)) {
            byte[] magic2 = new byte[4];
            t.memory().read(fpstate + sw.xstateSize(), magic2, 0, 4);
            if (ByteBuffer.wrap(magic2).order(ByteOrder.LITTLE_ENDIAN).getInt() == SignalFrame.FP_XSTATE_MAGIC2) {
                if (fpstate % 64 != 0) throw new BadFrame("XRSTOR needs 64-byte alignment");
                image = new byte[sw.xstateSize()];
                t.memory().read(fpstate, image, 0, image.length);
                ByteBuffer b = ExtendedState.le(image);
                long restore = sw.xfeatures() & cpu.extendedFeatures();
                b.putLong(ExtendedState.XSTATE_BV, b.getLong(ExtendedState.XSTATE_BV) & restore);
            }
        }
        if (image == null) {
            // Only the legacy FXSAVE part is there (fx_only): x87 and SSE from it, the rest initial.
            if (fpstate % 16 != 0) throw new BadFrame("FXRSTOR needs 16-byte alignment");
            image = ExtendedState.initial(size);
            System.arraycopy(legacy, 0, image, 0, ExtendedState.SW_RESERVED);
            ExtendedState.le(image).putLong(ExtendedState.XSTATE_BV, ExtendedState.FP_SSE);
        }
        try {
            cpu.setExtendedState(image);
        } catch (IllegalArgumentException e) {
            cpu.setExtendedState(ExtendedState.initial(size));
            throw new BadFrame(e.getMessage());
        }
    }

    /**
     * restore_altstack: sigaltstack with the frame's stack_t; only EFAULT counts. The check
     * "not while on the stack" sees the handler's stack pointer, not the restored one: that is
     * what Linux 6.18 does (a handler that re-enabled an SS_AUTODISARM stack keeps it after
     * sigreturn: EPERM, squashed).
     */
    private static void restoreAltStack(Task t, long handlerSp, AltStack wanted) {
        try {
            t.signals().setAltStack(AltStack.change(t.signals().altStack(), handlerSp, wanted));
        } catch (LinuxException e) {
            // EPERM (still on the stack), EINVAL, ENOMEM: ignored, as Linux squashes them.
        }
    }
}
