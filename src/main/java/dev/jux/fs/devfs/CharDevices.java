package dev.jux.fs.devfs;

import dev.jux.abi.DeviceNumber;
import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.host.HostRandom;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * The character devices Jux has, by number (Linux's chrdevs + the mem driver's minors):
 * 1:3 null, 1:5 zero, 1:7 full, 1:8 random, 1:9 urandom, 5:0 tty, 5:1 console, 5:2 ptmx and
 * 136:N, the pseudo-terminal slaves. Any node with one of these
 * numbers opens the device (the VFS looks devices up by number, as Linux's chrdev_open).
 */
public final class CharDevices {
    private CharDevices() {}

    public static final long NULL = DeviceNumber.makedev(1, 3), ZERO = DeviceNumber.makedev(1, 5),
            FULL = DeviceNumber.makedev(1, 7), RANDOM = DeviceNumber.makedev(1, 8),
            URANDOM = DeviceNumber.makedev(1, 9), TTY = DeviceNumber.makedev(5, 0),
            CONSOLE = DeviceNumber.makedev(5, 1), PTMX = DeviceNumber.makedev(5, 2);

    /** /dev/null: reads are end of file, writes vanish. */
    static final CharDevice NULL_DEVICE = new CharDevice() {
        public long read(dev.jux.wait.Waiter w, MemorySegment dst) { return 0; }
        public long write(dev.jux.wait.Waiter w, MemorySegment src) { return src.byteSize(); }
    };

    /** /dev/zero: reads zeros, writes vanish. */
    static final CharDevice ZERO_DEVICE = new CharDevice() {
        public long read(dev.jux.wait.Waiter w, MemorySegment dst) { dst.fill((byte) 0); return dst.byteSize(); }
        public long write(dev.jux.wait.Waiter w, MemorySegment src) { return src.byteSize(); }
    };

    /** /dev/full: reads zeros, every write fails with ENOSPC. */
    static final CharDevice FULL_DEVICE = new CharDevice() {
        public long read(dev.jux.wait.Waiter w, MemorySegment dst) { dst.fill((byte) 0); return dst.byteSize(); }
        public long write(dev.jux.wait.Waiter w, MemorySegment src) { throw new LinuxException(Errno.ENOSPC); }
    };

    /** /dev/random and /dev/urandom: the host's pool (Linux 5.6+: random never blocks once seeded); writes are accepted. */
    static final CharDevice RANDOM_DEVICE = new CharDevice() {
        public long read(dev.jux.wait.Waiter w, MemorySegment dst) {
            // Linux's random read returns at most what fits; large reads are fine in one go here.
            long n = Math.min(dst.byteSize(), 1 << 20);
            HostRandom.fill(dst.asSlice(0, n));
            return n;
        }
        public long write(dev.jux.wait.Waiter w, MemorySegment src) { return src.byteSize(); }
    };

    /**
     * A terminal node: /dev/tty (the caller's controlling terminal), /dev/console, /dev/ptmx or a
     * pseudo-terminal slave. Which
     * terminal it is depends on the opening process, so the open syscall replaces the VFS file
     * by the terminal's own file (kernel/Terminals.open); this driver itself never moves data.
     */
    public static final class TerminalDevice implements CharDevice {
        private TerminalDevice() {}

        public long read(dev.jux.wait.Waiter w, MemorySegment dst) { throw new LinuxException(Errno.EIO); }
        public long write(dev.jux.wait.Waiter w, MemorySegment src) { throw new LinuxException(Errno.EIO); }
    }

    static final CharDevice TTY_DEVICE = new TerminalDevice();
    static final CharDevice CONSOLE_DEVICE = new TerminalDevice();
    static final CharDevice PTMX_DEVICE = new TerminalDevice();
    static final CharDevice PTY_SLAVE_DEVICE = new TerminalDevice();

    private static final Map<Long, CharDevice> DEVICES = Map.of(NULL, NULL_DEVICE, ZERO, ZERO_DEVICE, FULL, FULL_DEVICE,
            RANDOM, RANDOM_DEVICE, URANDOM, RANDOM_DEVICE, TTY, TTY_DEVICE, CONSOLE, CONSOLE_DEVICE, PTMX, PTMX_DEVICE);

    /** Opens the character device {@code rdev}: ENXIO if Jux has no such device or it refuses. */
    public static CharDevice open(long rdev, int flags) {
        CharDevice d = DeviceNumber.major(rdev) == dev.jux.fs.tty.Pty.SLAVE_MAJOR ? PTY_SLAVE_DEVICE : DEVICES.get(rdev);
        if (d == null) throw new LinuxException(Errno.ENXIO, "no character device " + DeviceNumber.render(rdev));
        d.open(flags);
        return d;
    }
}
