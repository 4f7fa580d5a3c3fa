package dev.jux.platform.kvm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jux.platform.ContextContractTest;
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
}
