package dev.jux.kernel;

import dev.jux.abi.Capabilities;
import dev.jux.abi.Errno;
import dev.jux.abi.FileMode;
import dev.jux.abi.LinuxException;
import dev.jux.fs.vfs.FsCredentials;
import java.util.Arrays;

/**
 * A process's user and group ids, as Linux's {@code struct cred}: real, effective, saved and
 * file-system uid and gid, and the supplementary groups (sorted, as setgroups stores them).
 * Immutable: every transition returns new credentials or throws, following kernel/sys.c.
 *
 * <p>Capabilities are modelled as Linux's defaults without file capabilities and with
 * SECBIT_NO_SETUID_FIXUP off: every capability is effective exactly when euid is 0 (Linux drops
 * the effective set when euid leaves 0 and restores it from the permitted set when euid returns
 * to 0, which only a process whose real or saved uid is still 0 can do), and the file-system
 * capabilities (CAP_CHOWN, CAP_DAC_*, CAP_FOWNER, CAP_FSETID, CAP_MKNOD) follow fsuid instead
 * (cap_task_fix_setuid's LSM_SETID_FS case). So {@link #isRoot()} is CAP_SETUID, CAP_SETGID,
 * CAP_KILL, CAP_SYS_RESOURCE...; {@link FsCredentials#isRoot()} is the file-system set.
 */
public record Credentials(int uid, int euid, int suid, int fsuid, int gid, int egid, int sgid, int fsgid, int[] groups) {
    /** Linux's NGROUPS_MAX: setgroups with more is EINVAL. */
    public static final int NGROUPS_MAX = 65536;
    /** (uid_t) -1: "unchanged" for setre*id and setres*id, never a valid id. */
    public static final int UNCHANGED = -1;

    public static final Credentials ROOT = of(0, 0);

    public Credentials {
        // Linux's groups_sort: getgroups returns them in ascending order of the unsigned gid.
        groups = Arrays.stream(groups).mapToLong(Integer::toUnsignedLong).sorted().mapToInt(g -> (int) g).toArray();
    }

    /** All uids {@code uid}, all gids {@code gid}, no supplementary groups. */
    public static Credentials of(int uid, int gid) {
        return of(uid, gid, new int[0]);
    }

    public static Credentials of(int uid, int gid, int[] groups) {
        return new Credentials(uid, uid, uid, uid, gid, gid, gid, gid, groups);
    }

    /** The supplementary groups, a copy (sorted ascending). */
    @Override
    public int[] groups() {
        return groups.clone();
    }

    /** Privileged (every capability): effective uid 0. */
    public boolean isRoot() {
        return euid == 0;
    }

    /**
     * The permitted set of this model (see the class comment): all while the real, effective
     * or saved uid is 0 (cap_emulate_setxuid clears it only when all three leave 0; exec by a
     * uid-0 caller fills it), else none.
     */
    public long permittedCapabilities() {
        return uid == 0 || euid == 0 || suid == 0 ? Capabilities.ALL : 0;
    }

    /** The effective set: the permitted set while euid is 0, else none. */
    public long effectiveCapabilities() {
        return euid == 0 ? permittedCapabilities() : 0;
    }

    /** What file-system checks use: fsuid, fsgid and the supplementary groups. */
    public FsCredentials fsCredentials() {
        return new FsCredentials(fsuid, fsgid, groups);
    }

    /**
     * What access(2) and faccessat without AT_EACCESS check with (Linux's
     * access_override_creds): the real uid and gid; the capabilities only if the real uid is 0.
     */
    public FsCredentials accessCredentials() {
        return new FsCredentials(uid, gid, groups);
    }

    /** Linux's in_group_p: the fsgid or a supplementary group. */
    public boolean inGroup(int g) {
        if (g == fsgid) return true;
        for (int x : groups) if (x == g) return true;
        return false;
    }

    private static void checkValid(int id) {
        if (id == UNCHANGED) throw new LinuxException(Errno.EINVAL);
    }

    private static LinuxException eperm() {
        return new LinuxException(Errno.EPERM);
    }

    // --- uids (kernel/sys.c) ---

    /**
     * setuid(2): with CAP_SETUID sets all four uids; otherwise only euid (and fsuid), and only
     * to the real or saved uid. -1 is EINVAL.
     */
    public Credentials setuid(int id) {
        checkValid(id);
        if (isRoot()) return withUids(id, id, id);
        if (id != uid && id != suid) throw eperm();
        return withUids(uid, id, suid);
    }

    /**
     * setreuid(2): the real uid may become the real or effective uid, the effective uid the
     * real, effective or saved uid (anything with CAP_SETUID). The saved uid becomes the new
     * effective uid when the real uid is set or the effective uid is set to other than the old
     * real uid.
     */
    public Credentials setreuid(int ruid, int eid) {
        int nr = uid, ne = euid, ns = suid;
        if (ruid != UNCHANGED) {
            if (ruid != uid && ruid != euid && !isRoot()) throw eperm();
            nr = ruid;
        }
        if (eid != UNCHANGED) {
            if (eid != uid && eid != euid && eid != suid && !isRoot()) throw eperm();
            ne = eid;
        }
        if (ruid != UNCHANGED || (eid != UNCHANGED && eid != uid)) ns = ne;
        return withUids(nr, ne, ns);
    }

    /**
     * setresuid(2): without CAP_SETUID each given id must be one of the current real, effective
     * or saved uids. A call that changes nothing (each id -1 or equal, and a given euid equal to
     * the fsuid too) returns early in Linux, leaving a differing fsuid alone.
     */
    public Credentials setresuid(int ruid, int eid, int sid) {
        if ((ruid == UNCHANGED || ruid == uid) && (eid == UNCHANGED || (eid == euid && eid == fsuid))
                && (sid == UNCHANGED || sid == suid)) return this;
        if (!isRoot() && (foreignUid(ruid) || foreignUid(eid) || foreignUid(sid))) throw eperm();
        return withUids(ruid == UNCHANGED ? uid : ruid, eid == UNCHANGED ? euid : eid, sid == UNCHANGED ? suid : sid);
    }

    private boolean foreignUid(int id) {
        return id != UNCHANGED && id != uid && id != euid && id != suid;
    }

    /**
     * setfsuid(2): to the real, effective, saved or current fs uid, or anything with
     * CAP_SETUID; otherwise (and for -1) nothing changes. The syscall returns the old fsuid
     * either way, never an error.
     */
    public Credentials setfsuid(int id) {
        if (id == UNCHANGED) return this;
        if (id == uid || id == euid || id == suid || id == fsuid || isRoot()) {
            return new Credentials(uid, euid, suid, id, gid, egid, sgid, fsgid, groups);
        }
        return this;
    }

    /** New real, effective and saved uids; the fs uid follows the effective uid, as on every Linux uid change. */
    private Credentials withUids(int r, int e, int s) {
        return new Credentials(r, e, s, e, gid, egid, sgid, fsgid, groups);
    }

    // --- gids: the same rules with CAP_SETGID (also modelled as euid 0) ---

    public Credentials setgid(int id) {
        checkValid(id);
        if (isRoot()) return withGids(id, id, id);
        if (id != gid && id != sgid) throw eperm();
        return withGids(gid, id, sgid);
    }

    public Credentials setregid(int rgid, int eid) {
        int nr = gid, ne = egid, ns = sgid;
        if (rgid != UNCHANGED) {
            if (rgid != gid && rgid != egid && !isRoot()) throw eperm();
            nr = rgid;
        }
        if (eid != UNCHANGED) {
            if (eid != gid && eid != egid && eid != sgid && !isRoot()) throw eperm();
            ne = eid;
        }
        if (rgid != UNCHANGED || (eid != UNCHANGED && eid != gid)) ns = ne;
        return withGids(nr, ne, ns);
    }

    /** setresgid(2), with setresuid's no-op rule. */
    public Credentials setresgid(int rgid, int eid, int sid) {
        if ((rgid == UNCHANGED || rgid == gid) && (eid == UNCHANGED || (eid == egid && eid == fsgid))
                && (sid == UNCHANGED || sid == sgid)) return this;
        if (!isRoot() && (foreignGid(rgid) || foreignGid(eid) || foreignGid(sid))) throw eperm();
        return withGids(rgid == UNCHANGED ? gid : rgid, eid == UNCHANGED ? egid : eid, sid == UNCHANGED ? sgid : sid);
    }

    private boolean foreignGid(int id) {
        return id != UNCHANGED && id != gid && id != egid && id != sgid;
    }

    public Credentials setfsgid(int id) {
        if (id == UNCHANGED) return this;
        if (id == gid || id == egid || id == sgid || id == fsgid || isRoot()) {
            return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, id, groups);
        }
        return this;
    }

    private Credentials withGids(int r, int e, int s) {
        return new Credentials(uid, euid, suid, fsuid, r, e, s, e, groups);
    }

    /** setgroups(2): CAP_SETGID (EPERM), at most NGROUPS_MAX (EINVAL), no -1 among them (EINVAL). */
    public Credentials setgroups(int[] list) {
        if (!isRoot()) throw eperm();
        if (list.length > NGROUPS_MAX) throw new LinuxException(Errno.EINVAL);
        for (int g : list) checkValid(g);
        return withGroups(list);
    }

    /** The same ids with other supplementary groups, no checks (jux run --user). */
    public Credentials withGroups(int[] list) {
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, list);
    }

    // --- execve ---

    /**
     * The credentials after execve of a file, given whether its set-user-ID and set-group-ID
     * bits take effect (see {@link #afterExec(int, int, int, boolean, boolean)}): the effective
     * uid becomes the file's owner for a set-user-ID file, the effective gid its group for a
     * set-group-ID file; then, in every case, the saved and fs ids become the effective ones
     * (Linux's cap_bprm_creds_from_file). Real ids and groups never change.
     */
    public Credentials afterExec(boolean setuid, int fileUid, boolean setgid, int fileGid) {
        int e = setuid ? fileUid : euid;
        int eg = setgid ? fileGid : egid;
        return new Credentials(uid, e, e, e, gid, eg, eg, eg, groups);
    }

    /**
     * Linux's bprm_fill_uid: set-user-ID applies when the mode has S_ISUID; set-group-ID only
     * with S_ISGID and S_IXGRP together (S_ISGID without group execute marks mandatory
     * locking); neither on a nosuid mount or under no_new_privs.
     */
    public Credentials afterExec(int fileMode, int fileUid, int fileGid, boolean nosuidMount, boolean noNewPrivs) {
        if (nosuidMount || noNewPrivs) return afterExec(false, 0, false, 0);
        boolean su = (fileMode & FileMode.S_ISUID) != 0;
        boolean sg = (fileMode & (FileMode.S_ISGID | 0010)) == (FileMode.S_ISGID | 0010);
        return afterExec(su, fileUid, sg, fileGid);
    }

    /**
     * AT_SECURE for credentials that {@link #afterExec} made: Linux sets bprm->secureexec when
     * the new effective uid or gid differs from the real one (the real ids are unchanged by
     * exec), which covers a set-id file and a process whose real and effective ids differed.
     */
    public boolean secureExec() {
        return euid != uid || egid != gid;
    }

    // --- record plumbing: the groups array compares by content ---

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && uid == c.uid && euid == c.euid && suid == c.suid && fsuid == c.fsuid
                && gid == c.gid && egid == c.egid && sgid == c.sgid && fsgid == c.fsgid && Arrays.equals(groups, c.groups);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {uid, euid, suid, fsuid, gid, egid, sgid, fsgid}) * 31 + Arrays.hashCode(groups);
    }

    @Override
    public String toString() {
        return "Credentials[uid=" + uid + "/" + euid + "/" + suid + "/" + fsuid + ", gid=" + gid + "/" + egid + "/" + sgid + "/" + fsgid
                + ", groups=" + Arrays.toString(groups) + "]";
    }
}
