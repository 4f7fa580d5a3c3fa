package dev.jux.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transitions of man 2 setuid, setreuid, setresuid, setfsuid, setgroups and execve, as kernel/sys.c implements them. */
class CredentialsTest {
    /** uid/euid/suid/fsuid as "r/e/s/f"; the gids mirror them (+100) so that uid and gid rules are checked at once. */
    private static Credentials creds(String ids) {
        String[] p = ids.split("/");
        int r = Integer.parseInt(p[0]), e = Integer.parseInt(p[1]), s = Integer.parseInt(p[2]), f = Integer.parseInt(p[3]);
        return new Credentials(r, e, s, f, r + 100, e + 100, s + 100, f + 100, new int[0]);
    }

    private static String uids(Credentials c) {
        return c.uid() + "/" + c.euid() + "/" + c.suid() + "/" + c.fsuid();
    }

    private static String gids(Credentials c) {
        return (c.gid() - 100) + "/" + (c.egid() - 100) + "/" + (c.sgid() - 100) + "/" + (c.fsgid() - 100);
    }

    private static String outcome(UnaryOperator<Credentials> op, Credentials c) {
        try {
            return uids(op.apply(c));
        } catch (LinuxException e) {
            return e.errno().name();
        }
    }

    private static String outcomeG(UnaryOperator<Credentials> op, Credentials c) {
        try {
            return gids(op.apply(c));
        } catch (LinuxException e) {
            return e.errno().name();
        }
    }

    @ParameterizedTest(name = "{0}: setuid({1}) -> {2}")
    @CsvSource({
            "0/0/0/0,    5,  5/5/5/5",      // privileged: all four
            "1/0/2/0,    5,  5/5/5/5",      // euid 0 is enough
            "0/1/0/1,    0,  0/0/0/0",      // euid 1: only euid, to the real uid
            "0/1/0/1,    5,  EPERM",
            "3/4/5/4,    5,  3/5/5/5",      // to the saved uid
            "3/4/5/4,    3,  3/3/5/3",      // to the real uid
            "3/4/5/4,    4,  EPERM",        // not to the current euid: it is neither real nor saved
            "3/4/5/4,   -1,  EINVAL",
            "0/0/0/0,   -1,  EINVAL",
    })
    void setuid(String before, int id, String after) {
        assertEquals(after, outcome(c -> c.setuid(id), creds(before)));
        // setgid follows the same rules, with the privilege of euid 0.
        assertEquals(after, outcomeG(c -> c.setgid(id == -1 ? -1 : id + 100), creds(before)));
    }

    @ParameterizedTest(name = "{0}: setreuid({1}, {2}) -> {3}")
    @CsvSource({
            "0/0/0/0,  1,  2,  1/2/2/2",    // the saved uid follows the new euid when ruid is set
            "0/0/0/0, -1,  2,  0/2/2/2",    // euid set to other than the real uid: saved follows
            "0/0/0/0, -1,  0,  0/0/0/0",
            "0/0/0/0,  3, -1,  3/0/0/0",    // ruid set: saved = euid
            "0/0/0/0, -1, -1,  0/0/0/0",
            "1/2/3/2,  2,  1,  2/1/1/1",    // swap real and effective
            "1/2/3/2, -1,  3,  1/3/3/3",    // euid to the saved uid
            "1/2/3/2, -1,  1,  1/1/3/1",    // euid to the real uid: saved unchanged
            "1/2/3/2,  3, -1,  EPERM",      // ruid may not become the saved uid
            "1/2/3/2, -1,  4,  EPERM",
            "1/2/3/2,  1,  2,  1/2/2/2",    // ruid given (even unchanged): saved = new euid
            "1/0/3/0,  7,  8,  7/8/8/8",    // privileged
    })
    void setreuid(String before, int r, int e, String after) {
        assertEquals(after, outcome(c -> c.setreuid(r, e), creds(before)));
        assertEquals(after, outcomeG(c -> c.setregid(r == -1 ? -1 : r + 100, e == -1 ? -1 : e + 100), creds(before)));
    }

    @ParameterizedTest(name = "{0}: setresuid({1}, {2}, {3}) -> {4}")
    @CsvSource({
            "0/0/0/0,  1,  2,  3,  1/2/3/2",
            "0/0/0/0, -1, -1, -1,  0/0/0/0",
            "0/0/0/7, -1, -1, -1,  0/0/0/7",    // a no-op returns early: the fsuid stays
            "0/0/0/7,  0,  0,  0,  0/0/0/0",    // otherwise the fsuid follows the euid
            "1/2/3/7, -1,  2, -1,  1/2/3/2",
            "1/2/3/2,  3,  1,  2,  3/1/2/1",    // any permutation of the current ids
            "1/2/3/2, -1,  3, -1,  1/3/3/3",
            "1/2/3/2,  4, -1, -1,  EPERM",
            "1/2/3/2, -1, -1,  4,  EPERM",
            "1/2/0/2, -1,  0, -1,  1/0/0/0",    // back to euid 0 through the saved uid
    })
    void setresuid(String before, int r, int e, int s, String after) {
        assertEquals(after, outcome(c -> c.setresuid(r, e, s), creds(before)));
        assertEquals(after, outcomeG(c -> c.setresgid(r == -1 ? -1 : r + 100, e == -1 ? -1 : e + 100, s == -1 ? -1 : s + 100), creds(before)));
    }

    @ParameterizedTest(name = "{0}: setfsuid({1}) -> {2}")
    @CsvSource({
            "0/0/0/0,  5,  0/0/0/5",
            "1/2/3/2,  3,  1/2/3/3",
            "1/2/3/2,  1,  1/2/3/1",
            "1/2/3/2,  9,  1/2/3/2",        // refused: nothing changes, no error
            "1/2/3/2, -1,  1/2/3/2",
            "1/2/3/9,  9,  1/2/3/9",
    })
    void setfsuid(String before, int id, String after) {
        assertEquals(after, outcome(c -> c.setfsuid(id), creds(before)));
        assertEquals(after, outcomeG(c -> c.setfsgid(id == -1 ? -1 : id + 100), creds(before)));
    }

    @Test
    void setgroupsNeedsPrivilegeSortsAndRejectsMinusOne() {
        Credentials root = Credentials.ROOT;
        Credentials c = root.setgroups(new int[] {30, 10, -2, 20, 10});
        assertArrayEquals(new int[] {10, 10, 20, 30, -2}, c.groups(), "sorted as unsigned gids, duplicates kept");
        assertEquals(Errno.EINVAL, assertThrows(LinuxException.class, () -> root.setgroups(new int[] {1, -1})).errno());
        assertEquals(Errno.EINVAL, assertThrows(LinuxException.class, () -> root.setgroups(new int[Credentials.NGROUPS_MAX + 1])).errno());
        assertEquals(Credentials.NGROUPS_MAX, root.setgroups(new int[Credentials.NGROUPS_MAX]).groups().length);
        Credentials user = Credentials.of(1000, 1000);
        assertEquals(Errno.EPERM, assertThrows(LinuxException.class, () -> user.setgroups(new int[0])).errno());
        assertTrue(c.inGroup(20));
        assertTrue(c.inGroup(0), "the fsgid counts");
        assertFalse(c.inGroup(40));
        assertArrayEquals(new int[] {10, 10, 20, 30, -2}, c.fsCredentials().groups());
    }

    @Test
    void groupsAreCopiedAndCompareByContent() {
        int[] g = {5, 6};
        Credentials a = Credentials.of(1, 1, g);
        g[0] = 99;
        assertArrayEquals(new int[] {5, 6}, a.groups());
        a.groups()[0] = 42;
        assertArrayEquals(new int[] {5, 6}, a.groups());
        assertEquals(a, Credentials.of(1, 1, new int[] {6, 5}));
        assertEquals(a.hashCode(), Credentials.of(1, 1, new int[] {6, 5}).hashCode());
    }

    @Test
    void fileSystemAndAccessCredentials() {
        Credentials c = new Credentials(0, 1000, 0, 1000, 5, 1000, 5, 1000, new int[] {7});
        assertEquals(1000, c.fsCredentials().uid());
        assertEquals(1000, c.fsCredentials().gid());
        assertFalse(c.fsCredentials().isRoot());
        assertEquals(0, c.accessCredentials().uid(), "access(2) checks with the real ids");
        assertEquals(5, c.accessCredentials().gid());
        assertTrue(c.accessCredentials().isRoot());
        assertFalse(c.isRoot(), "privilege follows euid");
        Credentials fsRoot = c.setfsuid(0);
        assertTrue(fsRoot.fsCredentials().isRoot());
        assertFalse(fsRoot.isRoot());
    }

    @ParameterizedTest(name = "{0}: exec of mode {1} owned {2}:{3} nosuid={4} nnp={5} -> uids {6} gids {7} secure {8}")
    @CsvSource({
            // before    mode    fuid fgid nosuid nnp  uids        gids            secure
            "1/1/1/1,   0755,   0,   50,  false, false, 1/1/1/1,    1/1/1/1,        false",
            "1/1/1/1,   04755,  0,   50,  false, false, 1/0/0/0,    1/1/1/1,        true",
            "1/1/1/1,   04755,  1,   50,  false, false, 1/1/1/1,    1/1/1/1,        false",  // setuid to oneself
            "1/1/1/1,   02755,  0,   50,  false, false, 1/1/1/1,    1/50/50/50,     true",
            "1/1/1/1,   02745,  0,   50,  false, false, 1/1/1/1,    1/1/1/1,        false",  // S_ISGID without g+x: locking, not setgid
            "1/1/1/1,   06755,  0,   50,  true,  false, 1/1/1/1,    1/1/1/1,        false",  // nosuid mount
            "1/1/1/1,   06755,  0,   50,  false, true,  1/1/1/1,    1/1/1/1,        false",  // no_new_privs
            "1/2/3/4,   0755,   0,   50,  false, false, 1/2/2/2,    1/2/2/2,        true",   // saved = effective at every exec
            "0/0/0/0,   04755,  1000,50,  false, false, 0/1000/1000/1000, 0/0/0/0,  true",
    })
    void exec(String before, String mode, int fileUid, int fileGid, boolean nosuid, boolean nnp, String uidsAfter, String gidsAfter, boolean secure) {
        Credentials c = creds(before);
        c = new Credentials(c.uid(), c.euid(), c.suid(), c.fsuid(), c.uid(), c.euid(), c.suid(), c.fsuid(), new int[] {9});
        Credentials after = c.afterExec(Integer.parseInt(mode, 8), fileUid, fileGid, nosuid, nnp);
        assertEquals(uidsAfter, uids(after));
        assertEquals(gidsAfter, after.gid() + "/" + after.egid() + "/" + after.sgid() + "/" + after.fsgid());
        assertEquals(secure, after.secureExec());
        assertArrayEquals(new int[] {9}, after.groups(), "exec keeps the supplementary groups");
    }

    @Test
    void unchangedTransitionsMayReturnEqualCredentials() {
        Credentials c = creds("1/2/3/2");
        assertSame(c, c.setfsuid(-1));
        assertEquals(c, c.setresuid(-1, -1, -1));
    }
}
