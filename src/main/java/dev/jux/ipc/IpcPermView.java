package dev.jux.ipc;

/** A copy of an object's {@link IpcPerm}, for struct ipc64_perm. */
public record IpcPermView(int key, int uid, int gid, int cuid, int cgid, int mode, int seq) {
    static IpcPermView of(IpcPerm p) {
        return new IpcPermView(p.key, p.uid, p.gid, p.cuid, p.cgid, p.mode, p.seq & 0xffff);
    }
}
