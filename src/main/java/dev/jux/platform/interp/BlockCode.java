package dev.jux.platform.interp;

/**
 * The code of one translated block: implemented by the hidden classes {@link BlockTranslator}
 * generates. {@link #run} executes the block's instructions on {@code c} from its first one
 * and returns {@link Executor#CONTINUE} or {@link Executor#SYSCALL}, with RIP on the next
 * instruction to run; a {@link CpuFault} leaves RIP on the faulting instruction and RFLAGS
 * exact, as the interpreter does.
 */
public interface BlockCode {
    int run(Cpu c, Memory m, Executor x);
}
