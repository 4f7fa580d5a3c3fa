package dev.jux.cli;

import dev.jux.platform.kvm.KvmExitBench;
import dev.jux.platform.kvm.KvmUnavailableException;
import java.util.List;

/** {@code jux bench-kvm-exit [N]}: prints the bare KVM exit round trip in ns (for bench/run). */
final class KvmExitBenchCommand {
    private KvmExitBenchCommand() {}

    static int run(List<String> args) {
        int n = args.isEmpty() ? 100_000 : Integer.parseInt(args.getFirst());
        try {
            for (KvmExitBench.Kind kind : KvmExitBench.Kind.values()) {
                KvmExitBench.measure(kind, Math.max(1, n / 10)); // warm up the JIT and the vCPU
                double ns = KvmExitBench.measure(kind, n);
                System.out.printf("%s: %d round trips, %.0f ns each%n",
                        kind == KvmExitBench.Kind.BARE_EXIT ? "kvm-exit" : "kvm-syscall", n, ns);
            }
            return 0;
        } catch (KvmUnavailableException e) {
            System.err.println("jux: " + e.getMessage());
            return RunCommand.JUX_FAILED;
        }
    }
}
