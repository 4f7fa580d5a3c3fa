package dev.jux.fs.tty;

/**
 * The device behind a terminal (Linux's tty_operations): where output goes (the host's stdout
 * for the console, the master's read queue for a pseudo-terminal's slave) and what the device
 * wants to hear about. Every method but {@link #wakeup} and {@link #inputRoom} is called with
 * the line discipline's lock held, in output order; a device must not call back into the line
 * discipline from them.
 */
public interface TtyOutput {
    /** Writes processed output; never more than {@link #room()} bytes at a time. */
    void write(byte[] b, int off, int len);

    /** How many bytes {@link #write} takes now (tty_write_room); a full device makes writers wait. */
    default int room() {
        return Integer.MAX_VALUE;
    }

    /** Output was stopped (^S, TCOOFF) or started again (start_tty/stop_tty's driver calls). */
    default void flowChanged(boolean stopped) {}

    /** The line discipline flushed its input queue (TCIFLUSH, a signal character) or output (TCOFLUSH). */
    default void flushed(boolean input, boolean output) {}

    /** The settings change from {@code old} to {@code next}; the device may adjust {@code next} (set_termios). */
    default void settingsChanged(TermiosState old, TermiosState next) {}

    /** Called without the lock after output, echo or a state change: wake whoever waits on the device side. */
    default void wakeup() {}

    /** Called without the lock when the input queue has room again (a device waiting to send more). */
    default void inputRoom() {}
}
