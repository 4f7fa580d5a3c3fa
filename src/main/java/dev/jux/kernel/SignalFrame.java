package dev.jux.kernel;

import dev.jux.platform.ExtendedState;
import dev.jux.platform.UserRegisters;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux's x86-64 signal frame (arch/x86/kernel/signal_64.c), byte for byte:
 * <pre>
 * struct rt_sigframe { char *pretcode; struct ucontext uc; struct siginfo info; };  // 440 bytes
 * struct ucontext { unsigned long uc_flags; struct ucontext *uc_link; stack_t uc_stack;
 *                   struct sigcontext uc_mcontext; sigset_t uc_sigmask; };          // 304 bytes
 * </pre>
 * and above it, 64-byte aligned, the XSAVE image of the interrupted code's FPU state with the
 * fx_sw_bytes (FP_XSTATE_MAGIC1...) in the legacy region's software bytes and FP_XSTATE_MAGIC2
 * right after the image. Pure layout: {@link SignalDelivery} reads and writes guest memory.
 */
public final class SignalFrame {
    private SignalFrame() {}

    public static final int PRETCODE = 0, UC = 8, INFO = 312, SIZE = 440;
    /** Offsets inside the ucontext. */
    public static final int UC_FLAGS = 0, UC_LINK = 8, UC_STACK = 16, UC_MCONTEXT = 40, UC_SIGMASK = 296, UC_SIZE = 304;
    /** struct sigcontext (64-bit), inside uc_mcontext: glibc's gregs[REG_R8...REG_CR2], then fpstate. */
    public static final int SC_R8 = 0, SC_R9 = 8, SC_R10 = 16, SC_R11 = 24, SC_R12 = 32, SC_R13 = 40,
            SC_R14 = 48, SC_R15 = 56, SC_RDI = 64, SC_RSI = 72, SC_RBP = 80, SC_RBX = 88, SC_RDX = 96,
            SC_RAX = 104, SC_RCX = 112, SC_RSP = 120, SC_RIP = 128, SC_EFLAGS = 136, SC_CS = 144,
            SC_GS = 146, SC_FS = 148, SC_SS = 150, SC_ERR = 152, SC_TRAPNO = 160, SC_OLDMASK = 168,
            SC_CR2 = 176, SC_FPSTATE = 184, SC_SIZE = 256;

    /** uc_flags Linux sets on a CPU with XSAVE, for 64-bit code (frame_uc_flags). */
    public static final long UC_FP_XSTATE = 1, UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
    public static final int FP_XSTATE_MAGIC1 = 0x46505853, FP_XSTATE_MAGIC2 = 0x46505845, MAGIC2_SIZE = 4;
    /** struct _fpx_sw_bytes in the legacy region's bytes 464..511. */
    static final int SW_MAGIC1 = 0, SW_EXTENDED_SIZE = 4, SW_XFEATURES = 8, SW_XSTATE_SIZE = 16;
    /** Linux's user selectors: __USER_CS and __USER_DS. */
    public static final int USER_CS = 0x33, USER_DS = 0x2b;
    /** RFLAGS bits sigreturn takes from the frame (FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF. */
    public static final long FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
    /** Cleared at handler entry: DF (the ABI wants it clear), RF, TF. */
    public static final long HANDLER_CLEARS = 0x400 | 0x10000 | 0x100;
    /** The red zone below the interrupted code's rsp that a frame must not overwrite. */
    public static final long RED_ZONE = 128;

    /** Where a frame goes: {@code frame} is the rt_sigframe (the handler's rsp), {@code fpstate} the XSAVE image. */
    public record Placement(long frame, long fpstate) {
        /** get_sigframe's answer for a frame that would overflow the alternate stack: always bogus. */
        public boolean isBogus() {
            return frame == -1;
        }
    }

    /** The bytes the FPU state takes on the stack: the image and MAGIC2 (xstate_sigframe_size). */
    public static int mathSize(int xsaveSize) {
        return xsaveSize + MAGIC2_SIZE;
    }

    /**
     * get_sigframe: skip the red zone, switch to the alternate stack for SA_ONSTACK unless the
     * thread is already on it, put the FPU state 64-byte aligned, then the frame so that the
     * handler starts with (rsp + 8) % 16 == 0, as after a call.
     */
    public static Placement place(long sp, boolean onStack, AltStack alt, int xsaveSize) {
        boolean nested = alt.isOn(sp);
        boolean entering = false;
        sp -= RED_ZONE;
        if (onStack && alt.state(sp) == 0) {
            sp = alt.sp() + alt.size();
            entering = true;
        }
        long fpstate = (sp - mathSize(xsaveSize)) & ~63L;
        long frame = ((fpstate - SIZE) & ~15L) - 8;
        if ((nested || entering) && !alt.contains(frame)) return new Placement(-1, fpstate);
        return new Placement(frame, fpstate);
    }

    /**
     * The FPU area as Linux writes it: the XSAVE image with the software bytes filled in,
     * XSTATE_BV with x87 and SSE always set (so legacy code that edits only the FXSAVE part is
     * restored), and MAGIC2 after it.
     */
    public static byte[] encodeFpstate(byte[] xsave, long features) {
        byte[] out = new byte[mathSize(xsave.length)];
        System.arraycopy(xsave, 0, out, 0, xsave.length);
        ByteBuffer b = le(out);
        int sw = ExtendedState.SW_RESERVED;
        for (int i = sw; i < ExtendedState.LEGACY_SIZE; i++) out[i] = 0;
        b.putInt(sw + SW_MAGIC1, FP_XSTATE_MAGIC1);
        b.putInt(sw + SW_EXTENDED_SIZE, mathSize(xsave.length));
        b.putLong(sw + SW_XFEATURES, features);
        b.putInt(sw + SW_XSTATE_SIZE, xsave.length);
        b.putLong(ExtendedState.XSTATE_BV, b.getLong(ExtendedState.XSTATE_BV) | ExtendedState.FP_SSE);
        b.putInt(xsave.length, FP_XSTATE_MAGIC2);
        return out;
    }

    /** What a frame saves besides the registers. */
    public record Saved(long restorer, long mask, AltStack stack, long trapNo, long errorCode, long cr2, long fpstate) {}

    /** The frame up to (not including) siginfo: pretcode and the ucontext. */
    public static byte[] encode(UserRegisters r, Saved s) {
        byte[] out = new byte[INFO];
        ByteBuffer b = le(out);
        b.putLong(PRETCODE, s.restorer());
        b.putLong(UC + UC_FLAGS, UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
        b.putLong(UC + UC_LINK, 0);
        b.putLong(UC + UC_STACK + AltStack.OFFSET_SP, s.stack().sp());
        b.putInt(UC + UC_STACK + AltStack.OFFSET_FLAGS, s.stack().flags());
        b.putLong(UC + UC_STACK + AltStack.OFFSET_SIZE, s.stack().size());
        int m = UC + UC_MCONTEXT;
        b.putLong(m + SC_R8, r.r8).putLong(m + SC_R9, r.r9).putLong(m + SC_R10, r.r10).putLong(m + SC_R11, r.r11)
                .putLong(m + SC_R12, r.r12).putLong(m + SC_R13, r.r13).putLong(m + SC_R14, r.r14).putLong(m + SC_R15, r.r15)
                .putLong(m + SC_RDI, r.rdi).putLong(m + SC_RSI, r.rsi).putLong(m + SC_RBP, r.rbp).putLong(m + SC_RBX, r.rbx)
                .putLong(m + SC_RDX, r.rdx).putLong(m + SC_RAX, r.rax).putLong(m + SC_RCX, r.rcx).putLong(m + SC_RSP, r.rsp)
                .putLong(m + SC_RIP, r.rip).putLong(m + SC_EFLAGS, r.rflags);
        // gs and fs are always 0 on a 64-bit frame; ss is the selector the code ran with.
        b.putShort(m + SC_CS, (short) USER_CS).putShort(m + SC_SS, (short) USER_DS);
        b.putLong(m + SC_ERR, s.errorCode()).putLong(m + SC_TRAPNO, s.trapNo()).putLong(m + SC_OLDMASK, s.mask())
                .putLong(m + SC_CR2, s.cr2()).putLong(m + SC_FPSTATE, s.fpstate());
        b.putLong(UC + UC_SIGMASK, s.mask());
        return out;
    }

    /** What rt_sigreturn takes back from a frame. */
    public record Restored(long mask, AltStack stack, long fpstate) {}

    /**
     * restore_sigcontext's register part: every general register, rsp and rip; rflags only in
     * FIX_EFLAGS. {@code ucontext} is the {@link #UC_SIZE} bytes at the frame's uc.
     */
    public static Restored decode(byte[] ucontext, UserRegisters r) {
        ByteBuffer b = le(ucontext);
        int m = UC_MCONTEXT;
        r.r8 = b.getLong(m + SC_R8); r.r9 = b.getLong(m + SC_R9); r.r10 = b.getLong(m + SC_R10); r.r11 = b.getLong(m + SC_R11);
        r.r12 = b.getLong(m + SC_R12); r.r13 = b.getLong(m + SC_R13); r.r14 = b.getLong(m + SC_R14); r.r15 = b.getLong(m + SC_R15);
        r.rdi = b.getLong(m + SC_RDI); r.rsi = b.getLong(m + SC_RSI); r.rbp = b.getLong(m + SC_RBP); r.rbx = b.getLong(m + SC_RBX);
        r.rdx = b.getLong(m + SC_RDX); r.rax = b.getLong(m + SC_RAX); r.rcx = b.getLong(m + SC_RCX); r.rsp = b.getLong(m + SC_RSP);
        r.rip = b.getLong(m + SC_RIP);
        r.rflags = (r.rflags & ~FIX_EFLAGS) | (b.getLong(m + SC_EFLAGS) & FIX_EFLAGS);
        AltStack stack = new AltStack(b.getLong(UC_STACK + AltStack.OFFSET_SP), b.getLong(UC_STACK + AltStack.OFFSET_SIZE),
                b.getInt(UC_STACK + AltStack.OFFSET_FLAGS));
        return new Restored(b.getLong(UC_SIGMASK), stack, b.getLong(m + SC_FPSTATE));
    }

    /** The software bytes of an FPU area on the stack, as check_xstate_in_sigframe reads them. */
    public record SwBytes(int magic1, int extendedSize, long xfeatures, int xstateSize) {
        public static SwBytes of(byte[] legacy) {
            ByteBuffer b = le(legacy);
            int sw = ExtendedState.SW_RESERVED;
            return new SwBytes(b.getInt(sw + SW_MAGIC1), b.getInt(sw + SW_EXTENDED_SIZE), b.getLong(sw + SW_XFEATURES),
                    b.getInt(sw + SW_XSTATE_SIZE));
        }

        /** Whether the image claims to be a full XSAVE image the kernel may take (MAGIC2 checked separately). */
        public boolean claimsXsave(int maxSize) {
            return magic1 == FP_XSTATE_MAGIC1 && xstateSize >= ExtendedState.MIN_SIZE && xstateSize <= maxSize
                    && xstateSize <= extendedSize;
        }
    }

    static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }
}
