package dev.jux.fs.socket;

/**
 * Who makes a socket call: the process id and its real and effective ids. Messages carry
 * (pid, uid, gid), Linux's scm_send default for SCM_CREDENTIALS; SO_PEERCRED reports
 * (pid, euid, egid), as init_peercred records them.
 */
public record Caller(int pid, int uid, int gid, int euid, int egid) {
    public Ucred messageCredentials() {
        return new Ucred(pid, uid, gid);
    }

    Ucred peerCredentials() {
        return new Ucred(pid, euid, egid);
    }
}
