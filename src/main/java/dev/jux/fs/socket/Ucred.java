package dev.jux.fs.socket;

/** struct ucred: what SCM_CREDENTIALS and SO_PEERCRED carry. */
public record Ucred(int pid, int uid, int gid) {
    /** SO_PEERCRED of a socket without a peer: pid 0, uid and gid -1 (cred_to_ucred without cred). */
    public static final Ucred NONE = new Ucred(0, -1, -1);

    public byte[] bytes() {
        byte[] b = new byte[12];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(pid).putInt(uid).putInt(gid);
        return b;
    }
}
