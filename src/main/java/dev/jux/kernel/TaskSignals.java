package dev.jux.kernel;

import java.util.function.ToLongFunction;

/**
 * The per-thread signal state beyond the mask and the pending set: what Linux keeps in
 * task_struct and thread_struct for signal delivery, restarts and sigreturn.
 */
public final class TaskSignals {
    /**
     * The system call being handled (Linux's orig_ax), -1 outside one and after sigreturn.
     * Set twice per system call, so without a lock: only the task's own thread touches it,
     * except its tracer in a ptrace stop (PTRACE_GETREGS/SETREGS), and the stop's volatile
     * handshake (Tracee.stopped/resumed) orders those accesses.
     */
    private long syscallNumber = -1;
    private AltStack altStack = AltStack.DISABLED;
    /** sigsuspend's mask to put back once a handler ran or no handler did (Linux's saved_sigmask). */
    private boolean restoreSavedMask;
    private long savedMask;
    /** The last CPU exception: what a frame's trapno, err and cr2 report (thread.trap_nr, error_code, cr2). */
    private long trapNo, errorCode, cr2;
    private ToLongFunction<Task> restartBlock;

    public long syscallNumber() {
        return syscallNumber;
    }

    public void setSyscallNumber(long nr) {
        syscallNumber = nr;
    }

    public synchronized AltStack altStack() {
        return altStack;
    }

    public synchronized void setAltStack(AltStack stack) {
        altStack = stack;
    }

    /** Makes {@code mask} the one to put back after the next signal (sigsuspend, ppoll, pselect). */
    public synchronized void saveMask(long mask) {
        savedMask = mask;
        restoreSavedMask = true;
    }

    /** The mask a signal frame saves: the saved one if there is one (sigmask_to_save). Clears it. */
    synchronized long takeMaskToSave(long current) {
        if (!restoreSavedMask) return current;
        restoreSavedMask = false;
        return savedMask;
    }

    /** The saved mask to restore when no handler ran, or null. */
    Long takeSavedMask() {
        // Asked after every system call; only the task's own thread saves or takes the mask,
        // so the common "none" needs no lock.
        if (!restoreSavedMask) return null;
        return takeSavedMaskLocked();
    }

    private synchronized Long takeSavedMaskLocked() {
        if (!restoreSavedMask) return null;
        restoreSavedMask = false;
        return savedMask;
    }

    synchronized void recordTrap(long trapNo, long errorCode) {
        this.trapNo = trapNo;
        this.errorCode = errorCode;
    }

    synchronized void recordPageFault(long errorCode, long address) {
        recordTrap(14, errorCode);
        cr2 = address;
    }

    synchronized long trapNo() {
        return trapNo;
    }

    synchronized long errorCode() {
        return errorCode;
    }

    synchronized long cr2() {
        return cr2;
    }

    /**
     * What restart_syscall(2) runs after a call returned ERESTART_RESTARTBLOCK and no handler
     * ran (Linux's restart_block.fn); null is do_no_restart_syscall (EINTR).
     */
    public synchronized void setRestartBlock(ToLongFunction<Task> block) {
        restartBlock = block;
    }

    public synchronized ToLongFunction<Task> takeRestartBlock() {
        ToLongFunction<Task> b = restartBlock;
        restartBlock = null;
        return b;
    }

    private int xsaveSize;

    /** The size of the thread's XSAVE image (Linux's fpstate->user_size), asked of the CPU once. */
    synchronized int xsaveSize(dev.jux.platform.Context cpu) {
        if (xsaveSize == 0) xsaveSize = cpu.extendedState().length;
        return xsaveSize;
    }
}
