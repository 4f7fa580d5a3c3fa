package dev.jux.fs.tty;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.abi.Signal;
import dev.jux.abi.Termios;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Linux's N_TTY line discipline (drivers/tty/n_tty.c) without the device: bytes the device
 * received go in through {@link #receive}, readers take them out with {@link #read}, writers'
 * bytes go out to the {@link TtyOutput} with output processing. It does:
 * <ul>
 * <li>input processing: ISTRIP, IUCLC (with IEXTEN), IGNCR, ICRNL, INLCR;
 * <li>canonical mode: a line is edited (ERASE, KILL, WERASE and LNEXT, REPRINT with IEXTEN) until
 * NL, EOL, EOL2 or EOF commits it; a read returns at most one line; EOF at the start of a line
 * reads as end of file; a line holds at most 4095 bytes (more are dropped);
 * <li>echo: ECHO, ECHOE (erase visually), ECHOK/ECHOKE (kill), ECHONL, ECHOCTL ({@code ^C});
 * <li>ISIG: INTR, QUIT and SUSP raise SIGINT, SIGQUIT, SIGTSTP through {@link TtySignals} and
 * flush the queues unless NOFLSH;
 * <li>IXON (STOP/START stop and restart output; IXANY) and IXOFF (STOP sent to the device when
 * the input queue is nearly full, START when it drains);
 * <li>output processing: OPOST with ONLCR, OCRNL, ONOCR, ONLRET, OLCUC, XTABS;
 * <li>non-canonical reads with the four VMIN/VTIME cases.
 * </ul>
 * Job control (who may read and write) is the terminal's business ({@link Tty}), not this class's.
 * One lock (this object) guards the state; wake-ups and signals happen after it is released.
 */
public final class LineDiscipline {
    /** Linux's N_TTY_BUF_SIZE: the input queue, and so a canonical line, holds at most 4095 bytes. */
    public static final int BUFFER_SIZE = 4096;
    /** IXOFF: below this much room the device is told to stop sending (TTY_THRESHOLD_THROTTLE). */
    static final int THROTTLE_ROOM = 128;

    private static final int NUL = -1;

    /** A committed canonical line in {@code ready}: its bytes still unread, and whether EOF ended it. */
    private static final class Line {
        int length;
        final boolean eof;

        Line(int length, boolean eof) {
            this.length = length;
            this.eof = eof;
        }
    }

    private final TtyOutput device;
    private final TtySignals signals;
    private TermiosState termios = TermiosState.defaults();

    /** Committed input, readable now. */
    private final ByteQueue ready = new ByteQueue();
    /** Canonical mode: the lines in {@code ready}, in order. */
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    /** Canonical mode: the line being edited. */
    private final ByteQueue edit = new ByteQueue();
    /** The output column at the start of the edited line (for erasing tabs). */
    private int canonColumn;
    /** The output column (OPOST's bookkeeping). */
    private int column;
    private boolean literalNext;
    private boolean stopped;
    private boolean throttled;
    private boolean hungUp;
    /** Echo already processed for output, held while output is stopped or the device is full (n_tty's echo buffer). */
    private final ByteQueue pendingEcho = new ByteQueue();
    /** The most echo kept waiting; more is dropped (Linux's echo buffer is N_TTY_BUF_SIZE too). */
    static final int ECHO_LIMIT = 4096;

    private final WaitQueue readers = new WaitQueue();
    private final WaitQueue writers = new WaitQueue();
    /** The device side waiting for input room (a thread, not a task). */
    private final Object roomMonitor = new Object();

    public LineDiscipline(TtyOutput device, TtySignals signals) {
        this.device = device;
        this.signals = signals;
    }

    // ---- settings ----

    public synchronized byte[] termios() {
        return termios.encode();
    }

    /** Whether a c_lflag bit is set (TOSTOP for the terminal's write check). */
    public synchronized boolean localFlag(int flag) {
        return termios.l(flag);
    }

    public synchronized TermiosState settings() {
        return termios.copy();
    }

    /**
     * TCSETS: new settings. Leaving canonical mode makes the edited line readable; entering it
     * makes what is queued one line (n_tty_set_termios). Turning IXON off restarts output.
     */
    public void setTermios(byte[] bytes) {
        TermiosState next = TermiosState.decode(bytes);
        synchronized (this) {
            device.settingsChanged(termios, next);
            boolean wasCanon = termios.l(Termios.ICANON);
            boolean canon = next.l(Termios.ICANON);
            if (wasCanon && !canon) {
                moveEditToReady(false);
                lines.clear();
            } else if (!wasCanon && canon && ready.size() > 0) {
                lines.add(new Line(ready.size(), false));
            }
            termios = next;
            if (stopped && !next.i(Termios.IXON)) startOutputLocked();
        }
        wakeReaders();
        wakeWriters();
        wakeRoom();
        device.wakeup();
    }

    // ---- input from the device ----

    /**
     * Bytes the device received. Returns how many were taken: fewer than {@code len} when the
     * input queue is full (the device should wait, {@link #awaitRoom}, and offer the rest).
     */
    public int receive(byte[] b, int off, int len) {
        List<Integer> raised = new ArrayList<>();
        int taken = 0;
        synchronized (this) {
            if (hungUp) return len;
            while (taken < len) {
                if (!roomFor()) break;
                receiveChar(b[off + taken] & 0xff, raised);
                taken++;
            }
            throttleIfFull();
        }
        for (int sig : raised) signals.signalForeground(sig);
        wakeReaders();
        wakeWriters();
        device.wakeup();
        return taken;
    }

    /** Waits (a device thread) up to {@code millis} for input room. */
    public void awaitRoom(long millis) throws InterruptedException {
        synchronized (roomMonitor) {
            synchronized (this) {
                if (roomFor()) return;
            }
            roomMonitor.wait(millis);
        }
    }

    private boolean roomFor() {
        int queued = ready.size() + edit.size();
        if (termios.l(Termios.ICANON)) return ready.size() < BUFFER_SIZE - 1 || lines.isEmpty();
        return queued < BUFFER_SIZE - 1;
    }

    private void receiveChar(int c, List<Integer> raised) {
        TermiosState t = termios;
        if (t.i(Termios.ISTRIP)) c &= 0x7f;
        if (t.i(Termios.IUCLC) && t.l(Termios.IEXTEN) && c >= 'A' && c <= 'Z') c += 'a' - 'A';
        if (literalNext) {
            literalNext = false;
            putChar(c);
            return;
        }
        if (stopped && t.i(Termios.IXON) && t.i(Termios.IXANY) && c != t.control(Termios.VSTOP)) startOutputLocked();
        if (t.i(Termios.IXON)) {
            if (c == t.control(Termios.VSTART)) {
                startOutputLocked();
                return;
            }
            if (c == t.control(Termios.VSTOP)) {
                stopOutputLocked();
                return;
            }
        }
        if (t.l(Termios.ISIG)) {
            int sig = c == t.control(Termios.VINTR) ? Signal.SIGINT.number()
                    : c == t.control(Termios.VQUIT) ? Signal.SIGQUIT.number()
                    : c == t.control(Termios.VSUSP) ? Signal.SIGTSTP.number() : 0;
            if (sig != 0) {
                signalChar(c, sig, raised);
                return;
            }
        }
        if (c == '\r') {
            if (t.i(Termios.IGNCR)) return;
            if (t.i(Termios.ICRNL)) c = '\n';
        } else if (c == '\n' && t.i(Termios.INLCR)) {
            c = '\r';
        }
        if (t.l(Termios.ICANON)) {
            boolean ext = t.l(Termios.IEXTEN);
            if (c == t.control(Termios.VERASE)) {
                erase(Erase.CHAR);
                return;
            }
            if (c == t.control(Termios.VKILL)) {
                erase(Erase.LINE);
                return;
            }
            if (ext && c == t.control(Termios.VWERASE)) {
                erase(Erase.WORD);
                return;
            }
            if (ext && c == t.control(Termios.VLNEXT)) {
                literalNext = true;
                if (t.l(Termios.ECHO) && t.l(Termios.ECHOCTL)) {
                    startEchoOfLine();
                    echoRaw("^\b");
                }
                return;
            }
            if (ext && c == t.control(Termios.VREPRINT) && t.l(Termios.ECHO)) {
                reprint(c);
                return;
            }
            if (c == '\n') {
                if (t.l(Termios.ECHO) || t.l(Termios.ECHONL)) echoRaw("\n");
                edit.add((byte) '\n');
                commitLine(false);
                return;
            }
            if (c == t.control(Termios.VEOF)) {
                commitLine(true);
                return;
            }
            if (c == t.control(Termios.VEOL) || (ext && c == t.control(Termios.VEOL2))) {
                if (t.l(Termios.ECHO)) {
                    startEchoOfLine();
                    echoChar(c);
                }
                edit.add((byte) c);
                commitLine(false);
                return;
            }
        }
        putChar(c);
    }

    /** An ordinary character: echoed, then queued (in canonical mode dropped if the line is full). */
    private void putChar(int c) {
        TermiosState t = termios;
        if (t.l(Termios.ICANON)) {
            if (edit.size() >= BUFFER_SIZE - 1) {
                if (t.i(Termios.IMAXBEL) && t.l(Termios.ECHO)) echoRaw("\007");
                return;
            }
            if (t.l(Termios.ECHO)) {
                startEchoOfLine();
                echoChar(c);
            }
            edit.add((byte) c);
        } else {
            if (t.l(Termios.ECHO)) {
                if (c == '\n') echoRaw("\n");
                else echoChar(c);
            }
            ready.add((byte) c);
        }
    }

    private void startEchoOfLine() {
        if (edit.size() == 0) canonColumn = column;
    }

    /** INTR, QUIT, SUSP (n_tty_receive_signal_char): flush unless NOFLSH, restart output, echo, signal. */
    private void signalChar(int c, int sig, List<Integer> raised) {
        TermiosState t = termios;
        if (!t.l(Termios.NOFLSH)) {
            flushInputLocked();
            pendingEcho.clear();
            device.flushed(true, true);
        }
        if (t.i(Termios.IXON)) startOutputLocked();
        if (t.l(Termios.ECHO)) echoChar(c);
        raised.add(sig);
    }

    private void commitLine(boolean eof) {
        int n = edit.size();
        moveEditToReady(eof);
        if (!termios.l(Termios.ICANON)) return;
        lines.add(new Line(n, eof));
    }

    private void moveEditToReady(boolean eof) {
        while (edit.size() > 0) ready.add(edit.removeFirst());
    }

    private enum Erase { CHAR, WORD, LINE }

    /** ERASE, WERASE, KILL on the edited line (n_tty's eraser). */
    private void erase(Erase kind) {
        TermiosState t = termios;
        if (edit.size() == 0) return;
        boolean echo = t.l(Termios.ECHO);
        if (kind == Erase.LINE) {
            if (!echo) {
                edit.clear();
                return;
            }
            if (!t.l(Termios.ECHOK) || !t.l(Termios.ECHOKE) || !t.l(Termios.ECHOE)) {
                edit.clear();
                echoChar(t.control(Termios.VKILL));
                if (t.l(Termios.ECHOK)) echoRaw("\n");
                return;
            }
        }
        boolean seenWordChars = false;
        while (edit.size() > 0) {
            int c = edit.last() & 0xff;
            // A whole UTF-8 character goes at once under IUTF8.
            int count = 1;
            if (t.i(Termios.IUTF8)) {
                while (count < edit.size() && (edit.get(edit.size() - count) & 0xc0) == 0x80) count++;
                c = edit.get(edit.size() - count) & 0xff;
            }
            if (kind == Erase.WORD) {
                boolean word = Character.isLetterOrDigit(c) && c < 0x80 || c == '_';
                if (word) seenWordChars = true;
                else if (seenWordChars) break;
            }
            for (int i = 0; i < count; i++) edit.removeLast();
            if (echo) {
                if (kind == Erase.CHAR && !t.l(Termios.ECHOE)) {
                    echoChar(t.control(Termios.VERASE));
                } else if (c == '\t') {
                    int before = lineColumnAt(edit.size());
                    int after = (before | 7) + 1;
                    for (int i = before; i < after; i++) echoRaw("\b");
                } else {
                    if (isControl(c) && t.l(Termios.ECHOCTL)) echoRaw("\b \b");
                    if (!isControl(c) || t.l(Termios.ECHOCTL)) echoRaw("\b \b");
                }
            }
            if (kind == Erase.CHAR) break;
        }
    }

    /** The screen column after echoing the first {@code n} bytes of the edited line. */
    private int lineColumnAt(int n) {
        int col = canonColumn;
        for (int i = 0; i < n; i++) {
            int c = edit.get(i) & 0xff;
            if (c == '\t') col = (col | 7) + 1;
            else if (isControl(c)) col += termios.l(Termios.ECHOCTL) ? 2 : 0;
            else if (!(termios.i(Termios.IUTF8) && (c & 0xc0) == 0x80)) col++;
        }
        return col;
    }

    /** REPRINT: the character, a new line, then the edited line again. */
    private void reprint(int c) {
        echoChar(c);
        echoRaw("\n");
        canonColumn = column;
        for (int i = 0; i < edit.size(); i++) echoChar(edit.get(i) & 0xff);
    }

    private static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    /** Echoes one character, a control one as {@code ^X} under ECHOCTL (not tab or newline). */
    private void echoChar(int c) {
        if (c == NUL) return;
        if (termios.l(Termios.ECHOCTL) && isControl(c) && c != '\t' && c != '\n') {
            echoBytes(new byte[] {'^', (byte) (c ^ 0x40)});
        } else {
            echoBytes(new byte[] {(byte) c});
        }
    }

    private void echoRaw(String s) {
        echoBytes(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** Echo goes through output processing into the pending echo, which goes out as far as the device takes it. */
    private void echoBytes(byte[] b) {
        byte[] out = b;
        if (termios.o(Termios.OPOST)) {
            ByteArrayOutputStream processed = new ByteArrayOutputStream(b.length + 8);
            for (byte x : b) processOutput(x & 0xff, processed);
            out = processed.toByteArray();
        }
        for (byte x : out) {
            if (pendingEcho.size() >= ECHO_LIMIT) break;
            pendingEcho.add(x);
        }
        drainEchoLocked();
    }

    /** Sends pending echo to the device, as much as it takes, unless output is stopped. */
    private void drainEchoLocked() {
        if (stopped || pendingEcho.size() == 0) return;
        int n = Math.min(pendingEcho.size(), device.room());
        if (n <= 0) return;
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = pendingEcho.removeFirst();
        device.write(b, 0, n);
    }

    /** stop_tty: output stops (the device hears of it once). */
    private void stopOutputLocked() {
        if (stopped) return;
        stopped = true;
        device.flowChanged(true);
    }

    /** start_tty: output restarts, and held echo goes out. */
    private void startOutputLocked() {
        if (!stopped) return;
        stopped = false;
        device.flowChanged(false);
        drainEchoLocked();
    }

    /**
     * The device has room again (a pty master read what was waiting): pending echo goes out
     * and blocked writers try again.
     */
    public void deviceRoom() {
        synchronized (this) {
            drainEchoLocked();
        }
        wakeWriters();
        device.wakeup();
    }

    /** IXOFF: ask the device to pause when nearly full. */
    private void throttleIfFull() {
        if (!termios.i(Termios.IXOFF) || throttled) return;
        if (BUFFER_SIZE - 1 - ready.size() - edit.size() < THROTTLE_ROOM) {
            throttled = true;
            sendControl(Termios.VSTOP);
        }
    }

    private void unthrottleIfDrained() {
        if (!throttled) return;
        if (BUFFER_SIZE - 1 - ready.size() - edit.size() >= THROTTLE_ROOM) {
            throttled = false;
            sendControl(Termios.VSTART);
        }
    }

    /** Sends STOP or START to the device, unprocessed (tcflow's TCIOFF/TCION). */
    private void sendControl(int index) {
        int c = termios.control(index);
        if (c != NUL && device.room() > 0) device.write(new byte[] {(byte) c}, 0, 1);
    }

    // ---- output ----

    /**
     * write(2): OPOST processing, then the device, as much as it has room for (n_tty_write).
     * Blocks while output is stopped (^S) or the device is full; without blocking, returns
     * what went out or EAGAIN; a signal returns what went out or restarts; EIO once hung up.
     */
    public long write(Waiter waiter, MemorySegment src, boolean nonBlocking) {
        long len = src.byteSize();
        if (len == 0) return 0;
        long done = 0;
        try {
            while (true) {
                synchronized (this) {
                    if (hungUp) {
                        if (done > 0) return done;
                        throw new LinuxException(Errno.EIO);
                    }
                    if (!stopped) {
                        drainEchoLocked();
                        if (pendingEcho.size() == 0) done += writeSomeLocked(src, done);
                        if (done == len) return len;
                    }
                }
                if (nonBlocking) {
                    if (done > 0) return done;
                    throw new LinuxException(Errno.EAGAIN);
                }
                if (writers.await(waiter, this::outputAllowed, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                    if (done > 0) return done;
                    throw new LinuxException(Errno.ERESTARTSYS);
                }
            }
        } finally {
            device.wakeup();
        }
    }

    /** Writes source bytes from {@code from} while their processed form fits the device's room; returns how many. */
    private int writeSomeLocked(MemorySegment src, long from) {
        int room = device.room();
        if (room <= 0) return 0;
        // Processing never shrinks output, so at most `room` source bytes can go now.
        byte[] b = src.asSlice(from, Math.min(src.byteSize() - from, room)).toArray(ValueLayout.JAVA_BYTE);
        if (!termios.o(Termios.OPOST)) {
            device.write(b, 0, b.length);
            return b.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 16);
        ByteArrayOutputStream one = new ByteArrayOutputStream(8);
        int taken = 0;
        for (byte x : b) {
            int column0 = column;
            one.reset();
            processOutput(x & 0xff, one);
            if (out.size() + one.size() > room) {
                column = column0;
                break;
            }
            out.writeBytes(one.toByteArray());
            taken++;
        }
        if (out.size() > 0) device.write(out.toByteArray(), 0, out.size());
        return taken;
    }

    private synchronized boolean outputAllowed() {
        return hungUp || (!stopped && device.room() > 0);
    }

    /** One byte of output processing (n_tty's do_output_char), keeping the column. */
    private void processOutput(int c, ByteArrayOutputStream out) {
        TermiosState t = termios;
        switch (c) {
            case '\n' -> {
                if (t.o(Termios.ONLRET)) column = 0;
                if (t.o(Termios.ONLCR)) {
                    column = 0;
                    out.write('\r');
                }
                out.write('\n');
            }
            case '\r' -> {
                if (t.o(Termios.ONOCR) && column == 0) return;
                if (t.o(Termios.OCRNL)) {
                    if (t.o(Termios.ONLRET)) column = 0;
                    out.write('\n');
                    return;
                }
                column = 0;
                out.write('\r');
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                if ((t.oflag & Termios.TABDLY) == Termios.TABDLY) {
                    column += spaces;
                    for (int i = 0; i < spaces; i++) out.write(' ');
                    return;
                }
                column += spaces;
                out.write('\t');
            }
            case '\b' -> {
                if (column > 0) column--;
                out.write('\b');
            }
            default -> {
                if (t.o(Termios.OLCUC) && c >= 'a' && c <= 'z') c -= 'a' - 'A';
                if (!isControl(c) && !(t.i(Termios.IUTF8) && (c & 0xc0) == 0x80)) column++;
                out.write(c);
            }
        }
    }

    // ---- reading ----

    /**
     * read(2). Canonical: waits for a line, returns at most one (0 for EOF at a line's start).
     * Non-canonical, by VMIN and VTIME (termios(3)): MIN>0 TIME=0 waits for MIN bytes; MIN>0
     * TIME>0 waits for the first byte, then until MIN bytes or TIME tenths of a second without a
     * new one; MIN=0 TIME>0 waits up to TIME for one byte; MIN=0 TIME=0 never waits. A signal
     * ends a wait with what was read, or ERESTARTSYS; O_NONBLOCK gives EAGAIN when nothing is
     * there. Once hung up, reads return 0.
     */
    public long read(Waiter waiter, MemorySegment dst, boolean nonBlocking) {
        long want = dst.byteSize();
        if (want == 0) return 0;
        int min, time;
        boolean canon;
        synchronized (this) {
            canon = termios.l(Termios.ICANON);
            min = termios.cc[Termios.VMIN] & 0xff;
            time = termios.cc[Termios.VTIME] & 0xff;
        }
        if (canon) return readLine(waiter, dst, nonBlocking);
        long needed = Math.min(min == 0 ? 1 : min, want);
        long timeout = time * 100_000_000L;
        long deadline = min == 0 && time > 0 ? System.nanoTime() + timeout : Waiter.FOREVER;
        long done = 0;
        while (true) {
            long before = done;
            synchronized (this) {
                while (done < want && ready.size() > 0) {
                    dst.set(ValueLayout.JAVA_BYTE, done++, ready.removeFirst());
                }
                if (done > before) unthrottleIfDrained();
                if (done >= needed || hungUp) break;
                if (min == 0 && time == 0) break;
            }
            // MIN>0 TIME>0: TIME is an inter-byte timer, started by the first byte.
            if (done > before && min > 0 && time > 0) deadline = System.nanoTime() + timeout;
            if (nonBlocking) {
                if (done > 0) break;
                throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup w = readers.await(waiter, this::readable, deadline);
            if (w == Wakeup.TIMED_OUT && !readable()) break;
            if (w == Wakeup.INTERRUPTED) {
                if (done > 0) break;
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
        wakeRoom();
        return done;
    }

    private long readLine(Waiter waiter, MemorySegment dst, boolean nonBlocking) {
        while (true) {
            int n = -1;
            synchronized (this) {
                if (!lines.isEmpty()) {
                    Line line = lines.getFirst();
                    n = (int) Math.min(line.length, dst.byteSize());
                    for (int i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, i, ready.removeFirst());
                    line.length -= n;
                    if (line.length == 0) lines.removeFirst();
                    unthrottleIfDrained();
                } else if (hungUp) {
                    return 0;
                }
            }
            if (n >= 0) {
                wakeRoom();
                return n;
            }
            if (nonBlocking) throw new LinuxException(Errno.EAGAIN);
            if (readers.await(waiter, this::readable, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    /** Whether a read would return now (data, a line, or hang-up). */
    public synchronized boolean readable() {
        if (hungUp) return true;
        if (termios.l(Termios.ICANON)) return !lines.isEmpty();
        int min = termios.cc[Termios.VMIN] & 0xff;
        return ready.size() > 0 || (min == 0 && (termios.cc[Termios.VTIME] & 0xff) == 0);
    }

    /** FIONREAD/TIOCINQ: canonical mode counts committed lines only (inq_canon). */
    public synchronized int inputAvailable() {
        return ready.size();
    }

    /** poll: POLLIN when a read would not block, POLLOUT unless output is stopped, POLLHUP once hung up. */
    public int poll(PollTable table) {
        if (table != null) {
            table.watch(readers);
            table.watch(writers);
        }
        int events = 0;
        if (readable()) events |= Poll.POLLIN | Poll.POLLRDNORM;
        synchronized (this) {
            // A hung-up terminal is everything at once (hung_up_tty_poll).
            if (hungUp) events |= Poll.POLLHUP | Poll.POLLERR | Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLOUT | Poll.POLLWRNORM;
            else if (!stopped && device.room() > 0) events |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        return events;
    }

    // ---- control ----

    /** TCFLSH: drops unread input (TCIFLUSH), unsent output (TCOFLUSH: nothing is kept), or both. */
    public void flush(int queue) {
        synchronized (this) {
            boolean input = queue == Termios.TCIFLUSH || queue == Termios.TCIOFLUSH;
            boolean output = queue == Termios.TCOFLUSH || queue == Termios.TCIOFLUSH;
            if (input) flushInputLocked();
            if (output) pendingEcho.clear();
            device.flushed(input, output);
        }
        wakeRoom();
        wakeWriters();
        device.wakeup();
    }

    private void flushInputLocked() {
        ready.clear();
        edit.clear();
        lines.clear();
        literalNext = false;
        unthrottleIfDrained();
    }

    /** TCXONC: TCOOFF/TCOON stop and restart output, TCIOFF/TCION send STOP/START to the device. */
    public void flow(int action) {
        synchronized (this) {
            switch (action) {
                case Termios.TCOOFF -> stopOutputLocked();
                case Termios.TCOON -> startOutputLocked();
                case Termios.TCIOFF -> sendControl(Termios.VSTOP);
                case Termios.TCION -> sendControl(Termios.VSTART);
                default -> throw new LinuxException(Errno.EINVAL);
            }
        }
        wakeWriters();
        device.wakeup();
    }

    public synchronized boolean outputStopped() {
        return stopped;
    }

    /** The device went away: readers get end of file, writers EIO, pollers POLLHUP. */
    public void hangup() {
        synchronized (this) {
            hungUp = true;
            stopped = false;
            pendingEcho.clear();
        }
        wakeReaders();
        wakeWriters();
        wakeRoom();
        device.wakeup();
    }

    public synchronized boolean isHungUp() {
        return hungUp;
    }

    private void wakeReaders() {
        readers.wakeAll(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLHUP);
    }

    private void wakeWriters() {
        writers.wakeAll(Poll.POLLOUT | Poll.POLLWRNORM);
    }

    private void wakeRoom() {
        synchronized (roomMonitor) {
            roomMonitor.notifyAll();
        }
        device.inputRoom();
    }
}
