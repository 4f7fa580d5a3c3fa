package dev.jux.platform.interp;

/**
 * The code of one translated block: extended by the hidden classes {@link BlockTranslator}
 * generates. {@link #run} executes the block's instructions on {@code c} from its first one
 * and returns {@link Executor#CONTINUE} or {@link Executor#SYSCALL}, with RIP on the next
 * instruction to run; a {@link CpuFault} leaves RIP on the faulting instruction and RFLAGS
 * exact, as the interpreter does. {@link #TLB_MISS} (loops only) leaves the state as a fault
 * would, before an instruction whose access missed the TLB: the interpreter must run that
 * instruction next (running the block again would miss again).
 */
public abstract class BlockCode {
    // An abstract class, not an interface: the dispatcher's call of run is megamorphic (one
    // class per block), and a virtual call through the vtable is cheaper than an interface
    // call's itable search.
    protected BlockCode() {}

    /** {@link #run}'s answer when an access missed the TLB: RIP is on its instruction, not yet run. */
    public static final int TLB_MISS = 2;

    public abstract int run(Cpu c, Memory m, Executor x);
}
