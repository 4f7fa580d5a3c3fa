package dev.jux.programs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

/**
 * {@link RealProgramsTest} on the interpreter ({@code --platform interp}): the host's dynamic
 * bash, make, gcc and python3 (each about 5-25 s interpreted here). Needs no /dev/kvm. The
 * twenty-thread python3 test is skipped: LOCK-prefixed instructions are not yet atomic
 * between guest threads on the interpreter.
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
    void assumeThreads() {
        assumeTrue(false, "interp: LOCK is not atomic between guest threads yet");
    }

    @Override
    int juxTimeoutFactor() {
        return 10;
    }
}
