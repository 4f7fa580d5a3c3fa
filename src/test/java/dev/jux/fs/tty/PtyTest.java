package dev.jux.fs.tty;

import static org.junit.jupiter.api.Assertions.*;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.testing.TestWaiters;
import dev.jux.wait.Waiter;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pseudo-terminal pair without a guest: data both ways, bounded queues, packet mode, hang-up. */
class PtyTest {
    final List<String> events = new ArrayList<>();
    final Pty pty = new Pty(3, TtyProcesses.NONE, new Pty.Owner() {
        public void masterClosed(Pty p) { events.add("node gone"); }
        public void released(Pty p) { events.add("index free"); }
    });
    final Waiter w = new TestWaiters.Parking();

    private static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private String readMaster(int max) {
        byte[] b = new byte[max];
        long n = pty.masterRead(w, MemorySegment.ofArray(b), true);
        return new String(b, 0, (int) n, StandardCharsets.ISO_8859_1);
    }

    private String readSlave(TtyFile slave, int max) {
        byte[] b = new byte[max];
        long n = slave.read(w, MemorySegment.ofArray(b));
        return new String(b, 0, (int) n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void canonicalInputEchoesAndOutputGetsCrLf() {
        TtyFile slave = new TtyFile(pty.slave(), null, 2);
        assertEquals("pts/3", pty.slave().name());
        pty.masterWrite(w, bytes("hi\n"), false);
        assertEquals("hi\r\n", readMaster(64));
        assertEquals("hi\n", readSlave(slave, 64));
        slave.write(w, bytes("out\n"));
        assertEquals("out\r\n", readMaster(64));
    }

    @Test
    void aFullMasterQueueStopsSlaveWritesAndHoldsEcho() {
        TtyFile slave = new TtyFile(pty.slave(), null, 2 | dev.jux.abi.OpenFlags.O_NONBLOCK);
        byte[] big = new byte[Pty.OUTPUT_CAPACITY + 100];
        java.util.Arrays.fill(big, (byte) 'z');
        assertEquals(Pty.OUTPUT_CAPACITY, slave.write(w, MemorySegment.ofArray(big)));
        LinuxException e = assertThrows(LinuxException.class, () -> slave.write(w, bytes("more")));
        assertEquals(Errno.EAGAIN, e.errno());
        pty.masterWrite(w, bytes("e"), false);     // its echo waits for room
        assertEquals(Pty.OUTPUT_CAPACITY, readMaster(Pty.OUTPUT_CAPACITY + 10).length());
        assertEquals("e", readMaster(10));
    }

    @Test
    void masterInputWaitsForTheSlaveWhenTheLineDisciplineIsFull() {
        TtyFile slave = new TtyFile(pty.slave(), null, 2);
        TermiosState raw = TermiosState.defaults();
        raw.lflag = 0;
        pty.slave().lineDiscipline().setTermios(raw.encode());
        byte[] big = new byte[LineDiscipline.BUFFER_SIZE + 1000];
        assertEquals(big.length, pty.masterWrite(w, MemorySegment.ofArray(big), true));
        int total = 0;
        while (total < big.length) total += readSlave(slave, 8192).length();
        assertEquals(big.length, total);
    }

    @Test
    void packetModeReportsFlushAndFlow() {
        new TtyFile(pty.slave(), null, 2);
        pty.setPacket(true);
        pty.slave().lineDiscipline().flush(dev.jux.abi.Termios.TCIOFLUSH);
        assertEquals("\u0003", readMaster(10));
        pty.slave().lineDiscipline().flow(dev.jux.abi.Termios.TCOOFF);
        assertEquals("\u0004", readMaster(10));
        pty.slave().lineDiscipline().flow(dev.jux.abi.Termios.TCOON);
        assertEquals("\u0008", readMaster(10));
        pty.slave().write(w, bytes("x"), 0);
        assertEquals("\u0000x", readMaster(10));
    }

    @Test
    void closingTheSlaveGivesEioAndClosingTheMasterHangsUp() {
        TtyFile slave = new TtyFile(pty.slave(), null, 2);
        slave.write(w, bytes("left"));
        slave.release();
        assertEquals("left", readMaster(10));
        LinuxException e = assertThrows(LinuxException.class, () -> readMaster(10));
        assertEquals(Errno.EIO, e.errno());
        TtyFile again = new TtyFile(pty.slave(), null, 2);
        e = assertThrows(LinuxException.class, () -> readMaster(10));
        assertEquals(Errno.EAGAIN, e.errno());
        pty.masterReleased();
        assertEquals(List.of("node gone"), events);
        assertEquals("", readSlave(again, 10));
        again.release();
        assertEquals(List.of("node gone", "index free"), events);
        assertThrows(LinuxException.class, pty::checkSlaveOpen);
    }
}
