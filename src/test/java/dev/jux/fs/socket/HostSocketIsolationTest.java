package dev.jux.fs.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest never reaches a host socket: a host process listens on a socket file in a directory
 * the guest sees through hostfs; the guest's connect finds no guest socket bound to that inode
 * (ECONNREFUSED), and its bind to the same path is EADDRINUSE, while a guest server there works.
 */
class HostSocketIsolationTest {
    private static final Path CLASSES = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/classes");

    @TempDir
    Path dir;

    private static final String PROGRAM = """
            #include <errno.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/socket.h>
            #include <sys/un.h>
            #include <unistd.h>
            static const char *name(int r) { return r == 0 ? "ok" : errno == ECONNREFUSED ? "ECONNREFUSED" : errno == EADDRINUSE ? "EADDRINUSE" : strerror(errno); }
            int main(void) {
                struct sockaddr_un a = {AF_UNIX, "/h/host.sock"};
                int s = socket(AF_UNIX, SOCK_STREAM, 0);
                printf("connect host socket: %s\\n", name(connect(s, (struct sockaddr *) &a, sizeof a)));
                printf("bind host socket: %s\\n", name(bind(s, (struct sockaddr *) &a, sizeof a)));
                struct sockaddr_un g = {AF_UNIX, "/h/guest.sock"};
                printf("bind guest socket: %s\\n", name(bind(s, (struct sockaddr *) &g, sizeof g)));
                listen(s, 1);
                int c = socket(AF_UNIX, SOCK_STREAM, 0);
                printf("connect guest socket: %s\\n", name(connect(c, (struct sockaddr *) &g, sizeof g)));
                return 0;
            }
            """;

    @Test
    void aHostSocketSeenThroughHostfsIsRefused() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")), "no usable /dev/kvm");
        Path src = dir.resolve("prog.c"), bin = dir.resolve("prog");
        Files.writeString(src, PROGRAM);
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", bin.toString(), src.toString()).inheritIO().start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "gcc is not installed");
            throw e;
        }
        assumeTrue(gcc.waitFor() == 0, "gcc -static failed");
        Path shared = Files.createDirectory(dir.resolve("shared"));
        try (ServerSocketChannel host = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            host.bind(UnixDomainSocketAddress.of(shared.resolve("host.sock")));
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", CLASSES.toString(), "dev.jux.cli.Main",
                    "run", "--mount", shared + ":/h", "--", bin.toString());
            Path out = dir.resolve("out");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("jux did not finish");
            }
            assertEquals("""
                    connect host socket: ECONNREFUSED
                    bind host socket: EADDRINUSE
                    bind guest socket: ok
                    connect guest socket: ok
                    """, Files.readString(out, StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue());
        }
    }
}
