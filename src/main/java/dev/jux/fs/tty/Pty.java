package dev.jux.fs.tty;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.abi.Termios;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pseudo-terminal pair (Linux's drivers/tty/pty.c, the Unix98 flavour): the slave is a
 * {@link Tty} with the N_TTY line discipline whose device is this object; the master
 * ({@link PtyMaster}) reads what the slave's output processing produced and writes input into
 * the slave's line discipline. Both directions are bounded, as Linux's are (a pty's flip
 * buffer is limited to 8 KiB plus the 4 KiB of the reading side's N_TTY buffer): a slave
 * writer waits when the master has {@link #OUTPUT_CAPACITY} bytes unread, a master writer
 * when {@link #INPUT_CAPACITY} bytes wait for room in the slave's line discipline.
 *
 * <p>Lock order: the slave's line discipline, then this object. {@code pushLock} comes before
 * both (a push calls into the line discipline).
 */
public final class Pty implements TtyOutput {
    public static final int SLAVE_MAJOR = 136;
    /** Slave output not yet read by the master. */
    public static final int OUTPUT_CAPACITY = 12288;
    /** Master input not yet taken by the slave's line discipline. */
    public static final int INPUT_CAPACITY = 8192;

    /** TIOCPKT status bits (the byte before each packet-mode read). */
    public static final int TIOCPKT_DATA = 0, TIOCPKT_FLUSHREAD = 1, TIOCPKT_FLUSHWRITE = 2,
            TIOCPKT_STOP = 4, TIOCPKT_START = 8, TIOCPKT_NOSTOP = 16, TIOCPKT_DOSTOP = 32;

    /** What the file system that holds the pair's node does when the pair goes. */
    public interface Owner {
        /** The master closed: the /dev/pts/N node goes (devpts_pty_kill). */
        void masterClosed(Pty pty);

        /** Both sides are closed: the index may be used again. */
        void released(Pty pty);
    }

    private final int index;
    private final Tty slave;
    private final TtyProcesses processes;
    private final Owner owner;
    private final ByteQueue output = new ByteQueue();
    private final ByteQueue input = new ByteQueue();
    private final Object pushLock = new Object();
    private final WaitQueue masterReaders = new WaitQueue();
    private final WaitQueue masterWriters = new WaitQueue();

    private boolean locked = true;
    private boolean packet;
    private int status;
    private int slaveFiles;
    /** TTY_OTHER_CLOSED on the master: every slave file was closed since the last open. */
    private boolean slaveClosed;
    private boolean masterClosed;
    private boolean masterExclusive;

    public Pty(int index, TtyProcesses processes, Owner owner) {
        this.index = index;
        this.processes = processes;
        this.owner = owner;
        this.slave = new Tty("pts/" + index, DeviceNumber.makedev(SLAVE_MAJOR, index), this, processes);
        slave.setPty(this);
        // The pty slave driver's init_termios: tty_std_termios without HUPCL.
        TermiosState t = TermiosState.defaults();
        t.cflag = Termios.B38400 | Termios.CS8 | Termios.CREAD;
        slave.lineDiscipline().setTermios(t.encode());
    }

    public int index() {
        return index;
    }

    public Tty slave() {
        return slave;
    }

    TtyProcesses processes() {
        return processes;
    }

    // ---- the slave's device (called with the slave's line discipline locked) ----

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) output.add(b[off + i]);
    }

    @Override
    public synchronized int room() {
        return Math.max(0, OUTPUT_CAPACITY - output.size());
    }

    /** pty_stop/pty_start: a packet-mode master hears of it. */
    @Override
    public synchronized void flowChanged(boolean stopped) {
        if (!packet) return;
        status &= stopped ? ~TIOCPKT_START : ~TIOCPKT_STOP;
        status |= stopped ? TIOCPKT_STOP : TIOCPKT_START;
    }

    /** n_tty_packet_mode_flush (input) and pty_flush_buffer (output). */
    @Override
    public synchronized void flushed(boolean in, boolean out) {
        if (!packet) return;
        if (in) status |= TIOCPKT_FLUSHREAD;
        if (out) status |= TIOCPKT_FLUSHWRITE;
    }

    /** pty_set_termios: DOSTOP/NOSTOP when ^S/^Q flow control comes or goes; always CS8, CREAD, no parity. */
    @Override
    public void settingsChanged(TermiosState old, TermiosState next) {
        next.cflag = (next.cflag & ~(Termios.CSIZE | Termios.PARENB)) | Termios.CS8 | Termios.CREAD;
        synchronized (this) {
            if (!packet) return;
            boolean oldFlow = old.i(Termios.IXON) && old.cc[Termios.VSTOP] == 023 && old.cc[Termios.VSTART] == 021;
            boolean newFlow = next.i(Termios.IXON) && next.cc[Termios.VSTOP] == 023 && next.cc[Termios.VSTART] == 021;
            if (oldFlow == newFlow) return;
            status &= ~(TIOCPKT_DOSTOP | TIOCPKT_NOSTOP);
            status |= newFlow ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP;
        }
    }

    @Override
    public void wakeup() {
        masterReaders.wakeAll(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLPRI | Poll.POLLHUP);
    }

    @Override
    public void inputRoom() {
        push();
    }

    // ---- opening and closing ----

    /** A slave open (pty_open): EIO while locked or once the master is gone. */
    public void checkSlaveOpen() {
        synchronized (this) {
            if (locked || masterClosed) throw new LinuxException(Errno.EIO);
        }
    }

    synchronized void slaveOpened() {
        slaveFiles++;
        slaveClosed = false;
    }

    void slaveReleased() {
        boolean gone;
        synchronized (this) {
            if (--slaveFiles > 0) return;
            slaveClosed = true;
            gone = masterClosed;
        }
        wakeup();
        if (gone) owner.released(this);
    }

    /** The master's last file closed: the slave hangs up (pty_close of the master). */
    void masterReleased() {
        boolean gone;
        synchronized (this) {
            masterClosed = true;
            gone = slaveFiles == 0;
        }
        slave.hangup();
        owner.masterClosed(this);
        if (gone) owner.released(this);
    }

    // ---- the master side ----

    /** read(2) on the master: packet status first, then data (with a TIOCPKT_DATA byte in packet mode); EIO once the slave closed and all is read. */
    long masterRead(Waiter waiter, MemorySegment dst, boolean nonBlocking) {
        long want = dst.byteSize();
        if (want == 0) return 0;
        while (true) {
            long n = -1;
            synchronized (this) {
                if (packet && status != 0) {
                    dst.set(ValueLayout.JAVA_BYTE, 0, (byte) status);
                    status = 0;
                    return 1;
                }
                if (output.size() > 0) {
                    int off = 0;
                    if (packet) dst.set(ValueLayout.JAVA_BYTE, off++, (byte) TIOCPKT_DATA);
                    n = Math.min(output.size(), want - off);
                    for (int i = 0; i < n; i++) dst.set(ValueLayout.JAVA_BYTE, off + i, output.removeFirst());
                    n += off;
                } else if (slaveClosed) {
                    throw new LinuxException(Errno.EIO);
                }
            }
            if (n >= 0) {
                slave.lineDiscipline().deviceRoom();
                return n;
            }
            if (nonBlocking) throw new LinuxException(Errno.EAGAIN);
            if (masterReaders.await(waiter, this::masterReadable, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized boolean masterReadable() {
        return output.size() > 0 || slaveClosed || (packet && status != 0);
    }

    /** write(2) on the master: the bytes become the slave's input, as fast as its line discipline takes them. */
    long masterWrite(Waiter waiter, MemorySegment src, boolean nonBlocking) {
        long len = src.byteSize();
        long done = 0;
        while (true) {
            synchronized (this) {
                long n = Math.min(len - done, INPUT_CAPACITY - input.size());
                for (long i = 0; i < n; i++) input.add(src.get(ValueLayout.JAVA_BYTE, done + i));
                done += n;
            }
            push();
            if (done == len) return len;
            if (nonBlocking) {
                if (done > 0) return done;
                throw new LinuxException(Errno.EAGAIN);
            }
            if (masterWriters.await(waiter, this::inputRoomLeft, Waiter.FOREVER) == Wakeup.INTERRUPTED) {
                if (done > 0) return done;
                throw new LinuxException(Errno.ERESTARTSYS);
            }
        }
    }

    private synchronized boolean inputRoomLeft() {
        return input.size() < INPUT_CAPACITY;
    }

    /** Moves staged master input into the slave's line discipline while it takes it (flush_to_ldisc). */
    private void push() {
        synchronized (pushLock) {
            while (true) {
                byte[] chunk;
                synchronized (this) {
                    if (input.size() == 0) break;
                    chunk = new byte[Math.min(input.size(), 1024)];
                    for (int i = 0; i < chunk.length; i++) chunk[i] = input.get(i);
                }
                int taken = slave.receive(chunk, 0, chunk.length);
                synchronized (this) {
                    for (int i = 0; i < taken; i++) input.removeFirst();
                }
                if (taken < chunk.length) break;
            }
        }
        masterWriters.wakeAll(Poll.POLLOUT | Poll.POLLWRNORM);
    }

    int masterPoll(PollTable table) {
        if (table != null) {
            table.watch(masterReaders);
            table.watch(masterWriters);
        }
        int events = 0;
        synchronized (this) {
            if (output.size() > 0) events |= Poll.POLLIN | Poll.POLLRDNORM;
            if (packet && status != 0) events |= Poll.POLLPRI | Poll.POLLIN | Poll.POLLRDNORM;
            if (slaveClosed) events |= Poll.POLLHUP;
            if (input.size() < INPUT_CAPACITY) events |= Poll.POLLOUT | Poll.POLLWRNORM;
        }
        return events;
    }

    /** FIONREAD on the master. */
    synchronized int masterQueued() {
        return output.size();
    }

    // ---- master ioctls (pty_unix98_ioctl and what tty_ioctl does for a master) ----

    synchronized void setLocked(boolean value) {
        locked = value;
    }

    synchronized boolean isLocked() {
        return locked;
    }

    /** TIOCPKT: turning packet mode on clears the status (pty_set_pktmode). */
    void setPacket(boolean on) {
        synchronized (this) {
            if (on && !packet) status = 0;
            packet = on;
        }
        wakeup();
    }

    synchronized boolean isPacket() {
        return packet;
    }

    /** TCFLSH on the master: input is what the slave wrote, output what the master wrote and the slave has not taken. */
    void masterFlush(int queue) {
        synchronized (this) {
            if (queue == Termios.TCIFLUSH || queue == Termios.TCIOFLUSH) output.clear();
            if (queue == Termios.TCOFLUSH || queue == Termios.TCIOFLUSH) input.clear();
        }
        slave.lineDiscipline().deviceRoom();
        masterWriters.wakeAll(Poll.POLLOUT | Poll.POLLWRNORM);
    }

    /** TIOCSTI on the master: the byte is input for the master's own reads. */
    void masterInject(byte b) {
        synchronized (this) {
            output.add(b);
        }
        wakeup();
    }

    synchronized void setMasterExclusive(boolean on) {
        masterExclusive = on;
    }

    synchronized boolean isMasterExclusive() {
        return masterExclusive;
    }
}
