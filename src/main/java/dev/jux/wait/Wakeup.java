package dev.jux.wait;

/** How a wait ended. */
public enum Wakeup {
    /** The condition became true. */
    READY,
    /** A signal needs delivering (the call then fails with EINTR or restarts). */
    INTERRUPTED,
    /** The deadline passed. */
    TIMED_OUT
}
