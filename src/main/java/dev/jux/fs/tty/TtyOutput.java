package dev.jux.fs.tty;

/**
 * Where a terminal's output goes (Linux's tty_driver write): the host's stdout for the console,
 * the master's read queue for a pseudo-terminal. Called with the line discipline's lock held,
 * in output order.
 */
public interface TtyOutput {
    void write(byte[] b, int off, int len);
}
