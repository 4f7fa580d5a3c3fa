package dev.jux.syscall.strace;

import static dev.jux.abi.ArchPrctl.*;
import static dev.jux.abi.SyscallNumbers.*;

import dev.jux.abi.ArchPrctl;
import dev.jux.abi.CloneFlags;
import dev.jux.abi.Hex;
import dev.jux.abi.RandomFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.WaitStatus;

/** Process and thread calls: exit, execve, clone, wait4, arch_prctl, limits, identity. */
final class ProcessDecoders {
    private ProcessDecoders() {}

    static void register(Decoder[] t) {
        t[EXIT] = Decoder.of((c, p) -> p.decimal(c.intArg(0)), Results::none);
        t[EXIT_GROUP] = t[EXIT];
        t[EXECVE] = Decoder.of((c, p) -> p.path(c.arg(0)).add(ArrayFormats.argv(c.mem(), c.arg(1)))
                .add(ArrayFormats.envp(c.mem(), c.arg(2))));
        t[CLONE] = Decoder.of(ProcessDecoders::clone);
        t[WAIT4] = Decoder.of(ProcessDecoders::wait4);
        t[ARCH_PRCTL] = Decoder.of(ProcessDecoders::archPrctl);
        // strace prints this pointer with %#lx, so a null one is "0", not NULL.
        t[SET_TID_ADDRESS] = Decoder.of((c, p) -> p.hex(c.arg(0)));
        t[SET_ROBUST_LIST] = Decoder.of((c, p) -> p.ptr(c.arg(0)).unsigned(c.arg(1)));
        t[UNAME] = Decoder.of((c, p) -> p.add(c.failed() ? Printer.pointer(c.arg(0))
                : StructFormats.utsname(c.mem(), c.arg(0))));
        t[PRLIMIT64] = Decoder.of((c, p) -> p.decimal(c.intArg(0))
                .add(Rlimit.renderResource(c.intArg(1)))
                .add(StructFormats.rlimit(c.mem(), c.arg(2)))
                .add(c.failed() ? Printer.pointer(c.arg(3)) : StructFormats.rlimit(c.mem(), c.arg(3))));
        // getrandom's bytes are not text, so strace prints all of them in \x form.
        t[GETRANDOM] = Decoder.of((c, p) -> p.add(c.failed() ? Printer.pointer(c.arg(0))
                        : Printer.buffer(c.mem(), c.arg(0), c.result(), true))
                .unsigned(c.arg(1)).add(RandomFlags.render(c.intArg(2))));
    }

    /**
     * x86-64's argument order is (flags, stack, parent_tid, child_tid, tls); strace names
     * them and shows the tid pointers and tls only when a flag makes the kernel use them.
     */
    private static void clone(Call c, Printer p) {
        long flags = c.arg(0);
        p.add("child_stack=" + Printer.pointer(c.arg(1)));
        p.add("flags=" + CloneFlags.render(flags));
        if ((flags & (CloneFlags.CLONE_PARENT_SETTID | CloneFlags.CLONE_PIDFD)) != 0) {
            // Once the call has succeeded the kernel has stored the tid (or pidfd) there.
            p.add("parent_tid=" + (c.failed() ? Printer.pointer(c.arg(2))
                    : StructFormats.intRef(c.mem(), c.arg(2))));
        }
        if ((flags & CloneFlags.CLONE_SETTLS) != 0) p.add("tls=" + Printer.pointer(c.arg(4)));
        if ((flags & (CloneFlags.CLONE_CHILD_SETTID | CloneFlags.CLONE_CHILD_CLEARTID)) != 0) {
            p.add("child_tidptr=" + Printer.pointer(c.arg(3)));
        }
    }

    /** The status and rusage are only shown when a child was reaped (result > 0). */
    private static void wait4(Call c, Printer p) {
        boolean reaped = !c.failed() && c.result() > 0;
        p.decimal(c.intArg(0));
        Integer status = reaped && c.arg(1) != 0 ? c.mem().readInt(c.arg(1)) : null;
        p.add(status != null ? "[" + WaitStatus.render(status) + "]" : Printer.pointer(c.arg(1)));
        p.add(WaitStatus.renderOptions(c.intArg(2)));
        p.add(reaped ? StructFormats.rusage(c.mem(), c.arg(3)) : Printer.pointer(c.arg(3)));
    }

    private static void archPrctl(Call c, Printer p) {
        int code = c.intArg(0);
        long addr = c.arg(1);
        p.add(ArchPrctl.render(code));
        switch (code) {
            case ARCH_GET_CPUID -> {}
            case ARCH_SET_CPUID -> p.decimal(addr);
            case ARCH_GET_FS, ARCH_GET_GS ->
                    p.add(c.failed() ? Printer.pointer(addr) : StructFormats.addressRef(c.mem(), addr));
            case ARCH_GET_XCOMP_SUPP, ARCH_GET_XCOMP_PERM, ARCH_GET_XCOMP_GUEST_PERM -> p.add(xfeatures(c, addr));
            default -> p.hex(addr);
        }
    }

    /**
     * The XSAVE feature mask the kernel stored, in hex. strace also adds a comment naming the
     * XFEATURE_MASK_* bits; Jux leaves it out.
     */
    private static String xfeatures(Call c, long addr) {
        if (c.failed() || addr == 0) return Printer.pointer(addr);
        Long v = c.mem().readLong(addr);
        return v == null ? Hex.of(addr) : "[" + Hex.of(v) + "]";
    }
}
