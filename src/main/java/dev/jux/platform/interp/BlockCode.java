package dev.jux.platform.interp;

/**
 * The code of one translated block: extended by the hidden classes {@link BlockTranslator}
 * generates. {@link #run} executes the block's instructions on {@code c} from its first one
 * and returns {@link Executor#CONTINUE} or {@link Executor#SYSCALL}, with RIP on the next
 * instruction to run; a {@link CpuFault} leaves RIP on the faulting instruction and RFLAGS
 * exact, as the interpreter does.
 */
public abstract class BlockCode {
    // An abstract class, not an interface: the dispatcher's call of run is megamorphic (one
    // class per block), and a virtual call through the vtable is cheaper than an interface
    // call's itable search.
    protected BlockCode() {}

    public abstract int run(Cpu c, Memory m, Executor x);
}
