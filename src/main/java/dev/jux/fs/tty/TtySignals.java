package dev.jux.fs.tty;

/**
 * How the line discipline raises a signal (ISIG's INTR, QUIT, SUSP): the terminal sends it to
 * its foreground process group. Called without the line discipline's lock.
 */
public interface TtySignals {
    void signalForeground(int signal);
}
