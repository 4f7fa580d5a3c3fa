package dev.jux.fs;

import dev.jux.wait.Waiter;

/** A file with ioctl requests of its own (terminals). The generic ones (FIONBIO...) stay in the syscall layer. */
public interface IoctlFile extends File {
    /** Handles {@code request} for the process behind {@code caller}; ENOTTY for requests it does not know. */
    long ioctl(Waiter caller, int request, IoctlArg arg);
}
