package dev.jux.cli;

import dev.jux.abi.OpenFlags;
import dev.jux.abi.Termios;
import dev.jux.fs.FdTable;
import dev.jux.fs.devfs.CharDevices;
import dev.jux.fs.tty.TermiosState;
import dev.jux.fs.tty.Tty;
import dev.jux.fs.tty.TtyFile;
import dev.jux.host.HostFiles;
import dev.jux.host.HostTerminal;
import dev.jux.host.ShutdownHooks;
import dev.jux.kernel.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Jux's console when its stdin and stdout are a host terminal: the host terminal goes into raw
 * mode (cfmakeraw) and Jux's own TTY layer does what the host's line discipline would have
 * done. A thread feeds the host's stdin bytes to the console {@link Tty} (/dev/console, 5:1),
 * whose output goes to the host's stdout; the host window size is passed on at start and on
 * the host's SIGWINCH. The host settings come back on {@link #close} and, for an exit by a
 * signal to the JVM (SIGINT, SIGTERM, SIGHUP), in a shutdown hook.
 */
final class Console implements AutoCloseable {
    private static final int HOST_IN = 0, HOST_OUT = 1;

    private final byte[] saved;
    private final Tty tty;
    private final Thread restoreHook;
    private volatile boolean restored;

    private Console(byte[] saved, Tty tty) {
        this.saved = saved;
        this.tty = tty;
        this.restoreHook = new Thread(this::restore, "jux-console-restore");
    }

    /** Whether jux run gets a console: its stdin and stdout are both host terminals. */
    static boolean wanted() {
        return HostTerminal.isTerminal(HOST_IN) && HostTerminal.isTerminal(HOST_OUT);
    }

    /** Puts the host terminal in raw mode and starts the console of {@code kernel}. */
    static Console start(Kernel kernel) {
        byte[] saved = HostTerminal.attributes(HOST_IN);
        if (saved == null) return null;
        Tty tty = new Tty("console", CharDevices.CONSOLE, Console::writeHost, kernel.terminals());
        Console c = new Console(saved, tty);
        ShutdownHooks.add(c.restoreHook);
        HostTerminal.setAttributes(HOST_IN, raw(saved), true);
        c.resizeFromHost();
        c.watchWindowSize();
        kernel.terminals().setConsole(tty);
        Thread input = new Thread(c::pumpInput, "jux-console-input");
        input.setDaemon(true);
        input.start();
        return c;
    }

    /** A stream that writes CR LF for LF: Jux's own messages on a host terminal in raw mode. */
    static java.io.PrintStream crlf(java.io.PrintStream out) {
        return new java.io.PrintStream(new java.io.FilterOutputStream(out) {
            @Override
            public void write(int b) throws java.io.IOException {
                if (b == '\n') out.write('\r');
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                for (int i = 0; i < len; i++) write(b[off + i]);
            }
        }, true);
    }

    /** cfmakeraw(3): no input or output processing, no echo, no signals, 8-bit bytes one at a time. */
    static byte[] raw(byte[] termios) {
        TermiosState t = TermiosState.decode(termios);
        t.iflag &= ~(Termios.IGNBRK | Termios.BRKINT | Termios.PARMRK | Termios.ISTRIP | Termios.INLCR
                | Termios.IGNCR | Termios.ICRNL | Termios.IXON);
        t.oflag &= ~Termios.OPOST;
        t.lflag &= ~(Termios.ECHO | Termios.ECHONL | Termios.ICANON | Termios.ISIG | Termios.IEXTEN);
        t.cflag &= ~(Termios.CSIZE | Termios.PARENB);
        t.cflag |= Termios.CS8;
        t.cc[Termios.VMIN] = 1;
        t.cc[Termios.VTIME] = 0;
        return t.encode();
    }

    /**
     * The guest's fds 0, 1 and 2: one open description of the console, as a container
     * runtime's -t, opened at the guest's /dev/console node if there is one (so that ttyname
     * finds it: fstat(0) and stat("/dev/console") agree).
     */
    FdTable standardStreams(dev.jux.fs.vfs.Mount root) {
        dev.jux.fs.vfs.Location node = null;
        try {
            var walker = new dev.jux.fs.vfs.PathWalker(root.rootLocation(), dev.jux.kernel.Credentials.ROOT.fsCredentials());
            node = walker.resolve(root.rootLocation(), dev.jux.fs.vfs.ByteString.of("/dev/console"), true);
            if (node.inode().stat().rdev() != CharDevices.CONSOLE) node = null;
        } catch (dev.jux.abi.LinuxException e) {
            // no /dev in this tree: the console file has attributes of its own
        }
        FdTable files = new FdTable();
        TtyFile file = new TtyFile(tty, node, OpenFlags.O_RDWR);
        for (int fd = 0; fd <= 2; fd++) files.installAt(fd, file, false);
        return files;
    }

    private static void writeHost(byte[] b, int off, int len) {
        MemorySegment seg = MemorySegment.ofArray(b).asSlice(off, len);
        // A heap segment cannot go to a native call: copy through native memory.
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(seg, 0, buf, 0, len);
            long done = 0;
            while (done < len) {
                long n = HostFiles.write(HOST_OUT, buf.asSlice(done));
                if (n <= 0) return;   // the host terminal is gone
                done += n;
            }
        }
    }

    /** Host stdin to the line discipline, waiting for room when the guest does not read; hang-up at EOF. */
    private void pumpInput() {
        try (Arena a = Arena.ofShared()) {
            MemorySegment buf = a.allocate(4096);
            byte[] bytes = new byte[4096];
            while (true) {
                long n = HostFiles.read(HOST_IN, buf);
                if (n <= 0) break;
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) n);
                int done = 0;
                while (done < n) {
                    done += tty.receive(bytes, done, (int) n - done);
                    if (done < n) tty.lineDiscipline().awaitRoom(100);
                }
            }
        } catch (InterruptedException e) {
            return;
        }
        if (!restored) tty.hangup();
    }

    private void resizeFromHost() {
        int[] ws = HostTerminal.windowSize(HOST_OUT);
        if (ws == null) ws = HostTerminal.windowSize(HOST_IN);
        if (ws != null) tty.resize(ws[0], ws[1], ws[2], ws[3]);
    }

    /** The host's SIGWINCH (HotSpot's sun.misc.Signal knows "WINCH"); without it the size stays the start-up one. */
    private void watchWindowSize() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> resizeFromHost());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // not on this JVM
        }
    }

    private synchronized void restore() {
        if (restored) return;
        restored = true;
        HostTerminal.setAttributes(HOST_IN, saved, true);
    }

    @Override
    public void close() {
        restore();
        // Already shutting down, the hook runs (and finds the terminal restored).
        ShutdownHooks.remove(restoreHook);
    }
}
