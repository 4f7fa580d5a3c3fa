package dev.jux;

import dev.jux.testing.CProgram;
import dev.jux.testing.Flavour;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A few differential programs on the pure interpreter ({@code jux run --platform interp
 * --no-jit}), so the path without the JIT stays tested: {@link InterpDifferentialTest} runs
 * everything with the JIT on.
 */
class InterpNoJitDifferentialTest extends InterpDifferentialTest {
    static final Set<String> PROGRAMS = Set.of("hello", "isa_selfmod", "isa_fault_restart", "sig_fault", "fork_cow", "threads_sync");

    @Override
    List<String> platformArgs() {
        return List.of("--platform", "interp", "--no-jit");
    }

    @Override
    String runsDirectory(Flavour flavour) {
        return "interp-nojit-" + flavour.id();
    }

    @Override
    Optional<String> skipReason(CProgram program, Flavour flavour) {
        if (!PROGRAMS.contains(program.name())) return Optional.of(program.name() + ": only " + PROGRAMS + " run without the JIT");
        return super.skipReason(program, flavour);
    }
}
