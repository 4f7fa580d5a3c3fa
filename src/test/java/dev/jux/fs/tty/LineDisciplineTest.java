package dev.jux.fs.tty;

import static dev.jux.testing.TestWaiters.SIGNALLED;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.abi.Signal;
import dev.jux.abi.Termios;
import dev.jux.testing.TestWaiters.Parking;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The N_TTY line discipline without a guest: input and output processing, canonical editing, echo, signals, flow control, VMIN/VTIME. */
class LineDisciplineTest {
    final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    final List<Integer> signals = new ArrayList<>();
    final LineDiscipline ld = new LineDiscipline((b, off, len) -> screen.write(b, off, len), sig -> {
        synchronized (signals) {
            signals.add(sig);
        }
    });

    void type(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(b.length, ld.receive(b, 0, b.length));
    }

    String read(int max) {
        MemorySegment buf = MemorySegment.ofArray(new byte[max]);
        long n = ld.read(new Parking(), buf, false);
        return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    String readNow(int max) {
        MemorySegment buf = MemorySegment.ofArray(new byte[max]);
        long n = ld.read(new Parking(), buf, true);
        return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
    }

    String screen() {
        String s = screen.toString(StandardCharsets.ISO_8859_1);
        screen.reset();
        return s;
    }

    void write(String s) {
        ld.write(new Parking(), MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1)), false);
    }

    void set(java.util.function.Consumer<TermiosState> change) {
        TermiosState t = ld.settings();
        change.accept(t);
        ld.setTermios(t.encode());
    }

    void raw(int min, int time) {
        set(t -> {
            t.lflag &= ~(Termios.ICANON | Termios.ECHO);
            t.cc[Termios.VMIN] = (byte) min;
            t.cc[Termios.VTIME] = (byte) time;
        });
    }

    @Test
    void canonicalLineIsReadableOnlyAfterNewline() {
        type("hello");
        assertFalse(ld.readable());
        assertThrows(LinuxException.class, () -> readNow(10));
        type("\r");   // ICRNL
        assertEquals("hello\n", read(100));
        assertEquals("hello\r\n", screen());   // ECHO + ONLCR
    }

    @Test
    void readReturnsAtMostOneLineAndSplitsLongOnes() {
        type("one\ntwo\n");
        assertEquals("one\n", read(100));
        assertEquals("tw", read(2));
        assertEquals("o\n", read(100));
        assertEquals(0, ld.inputAvailable());
    }

    @Test
    void eraseKillAndWordErase() {
        type("ecko\177\177ho hi\n");
        assertEquals("echo hi\n", read(100));
        assertEquals("ecko\b \b\b \bho hi\r\n", screen());
        type("garbage\025ls\n");
        assertEquals("ls\n", read(100));
        assertEquals("garbage" + "\b \b".repeat(7) + "ls\r\n", screen());
        type("cp foo bar\027baz\n");
        assertEquals("cp foo baz\n", read(100));
        type("a b..  \027x\n");   // WERASE: trailing blanks and punctuation, then the word
        assertEquals("a x\n", read(100));
    }

    @Test
    void eraseWithoutEchoeEchoesTheEraseCharacter() {
        set(t -> t.lflag &= ~Termios.ECHOE);
        type("ab\177\n");
        assertEquals("a\n", read(100));
        assertEquals("ab^?\r\n", screen());
    }

    @Test
    void killWithEchokOnlyPrintsKillAndNewline() {
        set(t -> t.lflag &= ~Termios.ECHOKE);
        type("abc\025");
        assertEquals("abc^U\r\n", screen());
        type("d\n");
        assertEquals("d\n", read(100));
    }

    @Test
    void eraseOfControlCharacterRemovesBothColumnsAndTabGoesBackToItsStop() {
        type("a\001\177");
        assertEquals("a^A\b \b\b \b", screen());
        type("\t\177");
        assertEquals("\t\b\b\b\b\b\b\b", screen());   // column 1 back to 1: 7 columns
        type("\n");
        assertEquals("a\n", read(100));
    }

    @Test
    void eofAtLineStartReadsAsEndOfFileAndMidLinePushesTheLine() {
        type("abc\004");
        assertEquals("abc", read(100));
        type("\004");
        assertEquals("", read(100));
        assertEquals("abc", screen());   // EOF is not echoed
    }

    @Test
    void eolAndEol2EndLines() {
        set(t -> {
            t.cc[Termios.VEOL] = ';';
            t.cc[Termios.VEOL2] = '|';
        });
        type("a;b|");
        assertEquals("a;", read(100));
        assertEquals("b|", read(100));
        // A NUL byte is not taken for a disabled EOL.
        set(t -> t.cc[Termios.VEOL] = 0);
        type("x\000y\n");
        assertEquals("x\000y\n", read(100));
    }

    @Test
    void lineLongerThan4095IsTruncated() {
        type("x".repeat(5000) + "\n");
        String line = read(10000);
        assertEquals(4096, line.length());
        assertTrue(line.endsWith("x\n"));
    }

    @Test
    void literalNextQuotesErase() {
        type("a\026\177\n");
        assertEquals("a\177\n", read(100));
        assertEquals("a^\b^?\r\n", screen());
    }

    @Test
    void reprintShowsTheLineAgain() {
        type("abc\022");
        assertEquals("abc^R\r\nabc", screen());
    }

    @Test
    void echoVariants() {
        set(t -> t.lflag &= ~Termios.ECHO);
        type("secret\n");
        assertEquals("", screen());
        set(t -> t.lflag |= Termios.ECHONL);
        type("pw\n");
        assertEquals("\r\n", screen());
        set(t -> t.lflag |= Termios.ECHO);
        set(t -> t.lflag &= ~Termios.ECHOCTL);
        type("\001\n");
        assertEquals("\001\r\n", screen());
        read(100);
        read(100);
        read(100);
    }

    @Test
    void interruptSignalsEchoesAndFlushes() {
        type("partial");
        screen();
        type("\003");
        assertEquals(List.of(Signal.SIGINT.number()), signals);
        assertEquals("^C", screen());
        assertEquals(0, ld.inputAvailable());
        type("\034\032");
        assertEquals(List.of(Signal.SIGINT.number(), Signal.SIGQUIT.number(), Signal.SIGTSTP.number()), signals);
        type("ok\n");
        assertEquals("ok\n", read(100));
    }

    @Test
    void noflshKeepsInputAndIsigOffPassesTheCharacter() {
        set(t -> t.lflag |= Termios.NOFLSH);
        type("ab\ncd\003");
        assertEquals("ab\n", read(100));
        set(t -> t.lflag &= ~Termios.ISIG);
        type("\003\n");
        assertEquals("cd\003\n", read(100));
        assertEquals(1, signals.size());
    }

    @Test
    void inputProcessing() {
        set(t -> t.iflag = Termios.INLCR | Termios.ISTRIP);
        raw(1, 0);
        type("\n\u00c1");
        assertEquals("\rA", read(10));
        set(t -> t.iflag = Termios.IGNCR);
        type("a\rb");
        assertEquals("ab", read(10));
        set(t -> {
            t.iflag = Termios.IUCLC;
            t.lflag |= Termios.IEXTEN;
        });
        type("HeLLo");
        assertEquals("hello", read(10));
        set(t -> t.iflag = 0);
        type("\r");
        assertEquals("\r", read(10));
    }

    @Test
    void ixonStopsAndStartsOutput() throws Exception {
        type("\023");
        assertTrue(ld.outputStopped());
        assertEquals(0, ld.poll(null) & Poll.POLLOUT);
        assertThrows(LinuxException.class, () -> ld.write(null, MemorySegment.ofArray("x".getBytes()), true));
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write("queued\n"));
        Thread.sleep(100);
        assertFalse(writer.isDone());
        type("a");   // echo is held while stopped
        assertEquals("", screen());
        type("\021");
        writer.get(5, TimeUnit.SECONDS);
        assertEquals("aqueued\r\n", screen());
        // IXANY: any character restarts.
        set(t -> t.iflag |= Termios.IXANY);
        type("\023b");
        assertFalse(ld.outputStopped());
        // Without IXON, ^S is data.
        set(t -> t.iflag &= ~Termios.IXON);
        type("\023\n");
        assertEquals("ab\023\n", read(100));
    }

    @Test
    void ixoffSendsStopWhenNearlyFullAndStartWhenDrained() {
        set(t -> t.iflag |= Termios.IXOFF);
        raw(1, 0);
        type("y".repeat(LineDiscipline.BUFFER_SIZE - 100));
        assertEquals("\023", screen());
        read(LineDiscipline.BUFFER_SIZE);
        assertEquals("\021", screen());
    }

    @Test
    void fullRawQueueTakesNoMore() {
        raw(1, 0);
        byte[] b = new byte[5000];
        assertEquals(LineDiscipline.BUFFER_SIZE - 1, ld.receive(b, 0, b.length));
        assertEquals(LineDiscipline.BUFFER_SIZE - 1, ld.inputAvailable());
    }

    @Test
    void outputProcessing() {
        write("a\nb");
        assertEquals("a\r\nb", screen());
        set(t -> t.oflag = Termios.OPOST | Termios.OCRNL);
        write("x\ry\n");
        assertEquals("x\ny\n", screen());
        set(t -> t.oflag = Termios.OPOST | Termios.ONOCR | Termios.ONLCR);
        write("\r\rq\n\r");   // the second and last CR are at column 0
        assertEquals("\rq\r\n", screen());
        set(t -> t.oflag = Termios.OPOST | Termios.TABDLY);
        write("ab\tc");
        assertEquals("ab      c", screen());
        set(t -> t.oflag = Termios.OPOST | Termios.OLCUC);
        write("up");
        assertEquals("UP", screen());
        set(t -> t.oflag = Termios.ONLCR);   // no OPOST: nothing processed
        write("a\nb");
        assertEquals("a\nb", screen());
    }

    @Test
    void vminPositiveVtimeZeroWaitsForMinBytes() throws Exception {
        raw(3, 0);
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> read(10));
        type("ab");
        Thread.sleep(100);
        assertFalse(r.isDone());
        type("cd");
        String got = r.get(5, TimeUnit.SECONDS);
        assertTrue(got.equals("abc") || got.equals("abcd"), got);
    }

    @Test
    void vminClampedToTheBufferSize() {
        raw(5, 0);
        type("xy");
        assertEquals("x", read(1));
    }

    @Test
    void vminZeroVtimeZeroNeverWaits() {
        raw(0, 0);
        assertEquals("", read(10));
        type("z");
        assertEquals("z", read(10));
    }

    @Test
    void vminZeroVtimePositiveTimesOut() {
        raw(0, 2);
        long start = System.nanoTime();
        assertEquals("", read(10));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 180 && ms < 2000, "waited " + ms + " ms");
        type("q");
        assertEquals("q", read(10));
    }

    @Test
    void vminAndVtimePositiveUseAnInterByteTimer() throws Exception {
        raw(10, 2);
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> read(20));
        Thread.sleep(300);
        assertFalse(r.isDone(), "waits for the first byte without a timer");
        type("ab");
        assertEquals("ab", r.get(5, TimeUnit.SECONDS));
    }

    @Test
    void signalEndsAWaitWithErestartsys() {
        LinuxException e = assertThrows(LinuxException.class, () -> ld.read(SIGNALLED, MemorySegment.ofArray(new byte[4]), false));
        assertEquals(Errno.ERESTARTSYS, e.errno());
    }

    @Test
    void nonBlockingReadIsEagain() {
        LinuxException e = assertThrows(LinuxException.class, () -> readNow(4));
        assertEquals(Errno.EAGAIN, e.errno());
    }

    @Test
    void leavingCanonicalModeMakesTheEditedLineReadable() {
        type("half");
        raw(1, 0);
        assertEquals("half", read(10));
    }

    @Test
    void flushAndHangup() {
        type("a\nb");
        ld.flush(Termios.TCIFLUSH);
        assertEquals(0, ld.inputAvailable());
        assertFalse(ld.readable());
        ld.hangup();
        assertEquals("", read(10));
        assertNotEquals(0, ld.poll(null) & Poll.POLLHUP);
        LinuxException e = assertThrows(LinuxException.class, () -> write("x"));
        assertEquals(Errno.EIO, e.errno());
    }

    @Test
    void pollReportsInputAndWakesAWaitingReader() throws Exception {
        assertEquals(Poll.POLLOUT | Poll.POLLWRNORM, ld.poll(null));
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> read(10));
        Thread.sleep(50);
        type("go\n");
        assertEquals("go\n", r.get(5, TimeUnit.SECONDS));
        type("x\n");
        assertNotEquals(0, ld.poll(null) & Poll.POLLIN);
    }
}
