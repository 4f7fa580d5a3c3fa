package dev.jux.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jux.abi.FileMode;
import dev.jux.fs.RootTree;
import dev.jux.fs.vfs.ByteString;
import dev.jux.fs.vfs.FsCredentials;
import dev.jux.fs.vfs.Inode;
import dev.jux.fs.vfs.Mount;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.kernel.Credentials;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** --user resolved against a guest's /etc/passwd and /etc/group, as docker run does. */
class GuestUserTest {
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            alice:x:1000:1000::/home/alice:/bin/sh
            bob:x:1001:100::/home/bob:/bin/sh
            broken line
            nobody:x:65534:65534::/:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            users:x:100:alice
            alice:x:1000:
            wheel:x:10:bob,alice
            audio:x:29:bob
            """;

    private static Mount tree(boolean withFiles) {
        Mount root = RootTree.create();
        if (withFiles) {
            Inode etc = new PathWalker(root.rootLocation(), FsCredentials.ROOT).resolve(root.rootLocation(), ByteString.of("/etc"), true).inode();
            write(etc, "passwd", PASSWD);
            write(etc, "group", GROUP);
        }
        return root;
    }

    private static void write(Inode dir, String name, String text) {
        Inode f = dir.create(ByteString.of(name), FileMode.S_IFREG | 0644, 0, 0, 0);
        f.write(0, MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Credentials resolve(String spec, boolean withFiles) throws Exception {
        return GuestUser.parse(spec).resolve(tree(withFiles));
    }

    @Test
    void aNameGivesItsIdsAndTheGroupsThatListIt() throws Exception {
        Credentials c = resolve("alice", true);
        assertEquals(Credentials.of(1000, 1000, new int[] {10, 100}), c);
        assertArrayEquals(new int[] {10, 29}, resolve("bob", true).groups());
        assertEquals(100, resolve("bob", true).gid());
    }

    @Test
    void aNumberFindsItsEntryOrRunsWithGroupZero() throws Exception {
        assertEquals(Credentials.of(1000, 1000, new int[] {10, 100}), resolve("1000", true));
        assertEquals(Credentials.of(4242, 0), resolve("4242", true));
        assertEquals(Credentials.of(4242, 0), resolve("4242", false));
    }

    @Test
    void anExplicitGroupReplacesThePrimaryOneAndDropsTheSupplementaryOnes() throws Exception {
        assertEquals(Credentials.of(1000, 29), resolve("alice:audio", true));
        assertEquals(Credentials.of(1000, 7), resolve("alice:7", true));
        assertEquals(Credentials.of(5, 6), resolve("5:6", false));
    }

    @Test
    void unknownNamesAreSetupErrors() {
        assertEquals("jux: --user: unable to find user carol: no matching entries in passwd file",
                assertThrows(GuestTree.SetupError.class, () -> resolve("carol", true)).getMessage());
        assertEquals("jux: --user: unable to find group staff: no matching entries in group file",
                assertThrows(GuestTree.SetupError.class, () -> resolve("1000:staff", true)).getMessage());
        assertThrows(GuestTree.SetupError.class, () -> resolve("alice", false));
    }
}
