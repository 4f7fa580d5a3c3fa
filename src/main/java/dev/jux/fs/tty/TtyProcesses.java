package dev.jux.fs.tty;

import dev.jux.wait.Waiter;

/**
 * What a terminal needs from the process side (implemented by kernel/Terminals, so that fs/
 * does not depend on kernel/): who is calling, and signals to process groups.
 */
public interface TtyProcesses {
    /** The process behind {@code waiter}, or null when it is no process (a test, a device thread). */
    TtyCaller caller(Waiter waiter);

    /** Sends {@code signal} to every process of group {@code pgrp} (kill_pgrp). */
    void signalGroup(int pgrp, int signal);

    /** Sends {@code signal} to the leader of {@code session}, if it is alive. */
    void signalSessionLeader(int session, int signal);

    /** The session of process group {@code pgrp}; 0 if no process is in that group. */
    int sessionOfGroup(int pgrp);

    /** Every process of {@code session} whose controlling terminal is {@code tty} loses it (session_clear_tty). */
    void clearControllingTerminal(int session, Tty tty);

    /** A terminal with no processes behind it (tests): no callers, signals go nowhere. */
    TtyProcesses NONE = new TtyProcesses() {
        public TtyCaller caller(Waiter waiter) { return null; }
        public void signalGroup(int pgrp, int signal) {}
        public void signalSessionLeader(int session, int signal) {}
        public int sessionOfGroup(int pgrp) { return 0; }
        public void clearControllingTerminal(int session, Tty tty) {}
    };
}
