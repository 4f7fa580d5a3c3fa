package dev.jux.platform.kvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.platform.ContextContractTest;
import dev.jux.platform.ExtendedState;
import dev.jux.platform.Trap;
import org.junit.jupiter.api.Test;
import dev.jux.platform.Platform;

/** The Context contract on the real KVM platform; skipped when /dev/kvm cannot be used. */
class KvmContextTest extends ContextContractTest {
    @Override
    protected Platform createPlatform() {
        try {
            return new KvmPlatform(64L << 20);
        } catch (KvmUnavailableException e) {
            assumeTrue(false, "KVM is not usable here: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void theGuestSeesTheExtendedStateTheKernelSets() {
        boot(0x66, 0x48, 0x0f, 0x7e, 0xc0,          // movq rax, xmm0
             0x0f, 0xae, 0x5c, 0x24, 0xf8,          // stmxcsr [rsp-8]
             0x8b, 0x5c, 0x24, 0xf8,                // mov ebx, [rsp-8]
             0x66, 0x48, 0x0f, 0x6e, 0xc9,          // movq xmm1, rcx
             0x0f, 0x05);                           // syscall
        memory.populate(STACK, STACK + dev.jux.mm.AddressSpace.PAGE);
        byte[] image = cpu.extendedState();
        var b = ExtendedState.le(image);
        b.putLong(ExtendedState.XMM0, 0x1122334455667788L);
        b.putInt(ExtendedState.MXCSR, 0x3f80);
        b.putLong(ExtendedState.XSTATE_BV, b.getLong(ExtendedState.XSTATE_BV) | 3);
        cpu.setExtendedState(image);
        regs.rcx = 0xabcdefL;
        assertEquals(Trap.Kind.SYSCALL, cpu.run().kind());
        assertEquals(0x1122334455667788L, regs.rax);
        assertEquals(0x3f80, regs.rbx);
        assertEquals(0xabcdefL, ExtendedState.le(cpu.extendedState()).getLong(ExtendedState.XMM0 + 16), "xmm1 as the guest left it");
    }

    /** The cost a signal pays: one KVM_GET_XSAVE on delivery, one KVM_SET_XSAVE for the handler and one at sigreturn. */
    @Test
    void xsaveIoctlsCostMicroseconds() {
        boot(0x0f, 0x05);
        int n = 2000;
        byte[] image = null;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) image = cpu.extendedState();
        long get = (System.nanoTime() - t0) / n;
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) cpu.setExtendedState(image);
        long set = (System.nanoTime() - t0) / n;
        System.out.println("KVM_GET_XSAVE " + get + " ns, KVM_SET_XSAVE " + set + " ns (" + image.length + " bytes)");
        assertTrue(get < 1_000_000 && set < 1_000_000);
    }
}
