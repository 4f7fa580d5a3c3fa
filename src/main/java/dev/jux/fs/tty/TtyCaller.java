package dev.jux.fs.tty;

/**
 * The process that reads, writes or controls a terminal, as job control needs to see it
 * (Linux's current->signal): kernel/Terminals implements it over a ThreadGroup.
 */
public interface TtyCaller {
    int pid();

    int processGroup();

    int session();

    boolean isSessionLeader();

    /** CAP_SYS_ADMIN (TIOCSCTTY's steal, TIOCSTI). */
    boolean isPrivileged();

    /** The calling thread blocks {@code signal} or its process ignores it (is_ignored). */
    boolean blocksOrIgnores(int signal);

    /** Its process group is orphaned: no member has a parent in another group of the same session. */
    boolean processGroupOrphaned();

    /** Its controlling terminal, or null. */
    Tty controllingTerminal();

    void setControllingTerminal(Tty tty);
}
