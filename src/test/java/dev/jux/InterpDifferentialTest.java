package dev.jux;

import dev.jux.testing.CProgram;
import dev.jux.testing.Flavour;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The differential suite again, on the interpreter ({@code jux run --platform interp}): the
 * second column of the platform matrix (issue 7). Same programs, flavours and checks as
 * {@link DifferentialTest}; the timeout is larger because every instruction is interpreted.
 * Programs that cannot pass on the interpreter (by design or yet) are skipped with the reason;
 * {@code -Djux.test.interpSlow=true} also runs the slow ones.
 */
class InterpDifferentialTest extends DifferentialTest {
    /** Program name -> why it is skipped on the interpreter. */
    static final Map<String, String> NOT_HERE = Map.of(
            "cpu_features", "the interpreter is its own CPU (CPUID claims up to SSE4.2 and XSAVE for x87|SSE, no AVX), not the host's",
            // The signal frame holds the XSAVE image: 2432 bytes on the host, 576 on interp (XCR0
            // = x87|SSE), so the 2048-byte alternate stack that overflows natively is big enough here.
            "sig_altstack", "the frame size follows the CPU's XSAVE size, which differs from the host's");
    /**
     * Programs that pass but take minutes on the interpreter; run with -Djux.test.interpSlow=true.
     * None since the JIT: compute took about 75 s per flavour interpreted, 8-12 s with the JIT.
     */
    static final Map<String, String> SLOW = Map.of();

    @Override
    List<String> platformArgs() {
        return List.of("--platform", "interp");
    }

    @Override
    String runsDirectory(Flavour flavour) {
        return "interp-" + flavour.id();
    }

    @Override
    int timeoutFactor() {
        return 10;
    }

    @Override
    Optional<String> skipReason(CProgram program, Flavour flavour) {
        String why = NOT_HERE.get(program.name());
        if (why == null && !Boolean.getBoolean("jux.test.interpSlow")) why = SLOW.get(program.name());
        return Optional.ofNullable(why).map(w -> program.name() + " on interp: " + w);
    }
}
