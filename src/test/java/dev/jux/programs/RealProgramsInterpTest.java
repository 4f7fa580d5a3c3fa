package dev.jux.programs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * {@link RealProgramsTest} on the interpreter ({@code --platform interp}): the host's dynamic
 * bash, make, gcc and python3 (each about 5-25 s interpreted here), and the threaded ones
 * (python3's hundred threads, the host's JVM; xz -T2 only with
 * {@code -Djux.test.interpSlow=true}, as it takes minutes): locked instructions are atomic
 * between guest threads on the interpreter too (LockedAccess). Needs no /dev/kvm.
 */
class RealProgramsInterpTest extends RealProgramsTest {
    /** {@code -Djux.test.noJit=true} runs them on the pure interpreter (to compare times). */
    @Override
    List<String> platformArgs() {
        return Boolean.getBoolean("jux.test.noJit") ? List.of("--platform", "interp", "--no-jit") : List.of("--platform", "interp");
    }

    @Override
    void assumePlatform() {
    }

    @Override
    void assumeNotSlow(String why) {
        assumeTrue(Boolean.getBoolean("jux.test.interpSlow"), "interp: " + why + "; run with -Djux.test.interpSlow=true");
    }

    @Override
    int juxTimeoutFactor() {
        return 10;
    }
}
