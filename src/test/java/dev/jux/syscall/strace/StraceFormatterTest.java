package dev.jux.syscall.strace;

import static dev.jux.abi.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jux.abi.Errno;
import dev.jux.abi.Hex;
import org.junit.jupiter.api.Test;

/**
 * Each expected line was printed by strace 6.1 on the development host for the same call (see
 * the small C programs in the commit message); addresses are the fake memory's.
 */
class StraceFormatterTest {
    private final FakeMemory mem = new FakeMemory();

    private String fmt(int nr, long result, long... args) {
        long[] regs = java.util.Arrays.copyOf(args, 6);
        return StraceFormatter.format(nr, regs, result, mem);
    }

    private static long err(Errno e) {
        return -e.number();
    }

    private static String hex(long addr) {
        return Hex.of(addr);
    }

    @Test
    void writeShowsTheGivenBytes() {
        long buf = mem.putBytes("hello\n");
        assertEquals("write(1, \"hello\\n\", 6) = 6", fmt(WRITE, 6, 1, buf, 6));
    }

    @Test
    void writeEscapesAndCutsAt32Bytes() {
        long buf = mem.putBytes("\u0001\u007f\u00ff\t\r\n\"\\abcdefghijklmnopqrstuvwxyz0123456789");
        assertEquals("write(1, \"\\1\\177\\377\\t\\r\\n\\\"\\\\abcdefghijklmnopqrstuvwx\"..., 44) = 44",
                fmt(WRITE, 44, 1, buf, 44));
    }

    @Test
    void octalEscapesGrowBeforeADigit() {
        long buf = mem.putBytes("\u00011\u00019\u00000a\u000b\f\u0007\b\u001b\u0000");
        assertEquals("write(1, \"\\0011\\19\\0000a\\v\\f\\7\\10\\33\\0\", 13) = 13", fmt(WRITE, 13, 1, buf, 13));
    }

    @Test
    void stringsOf32BytesAreNotCut() {
        long buf = mem.putBytes("01234567890123456789012345678901");
        assertEquals("write(1, \"01234567890123456789012345678901\", 32) = 32", fmt(WRITE, 32, 1, buf, 32));
        assertEquals("write(1, \"01234567890123456789012345678901\"..., 33) = 33", fmt(WRITE, 33, 1, buf, 33));
    }

    @Test
    void readShowsWhatWasReadOrThePointerOnError() {
        long buf = mem.putBytes("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1");
        assertEquals("read(3, \"root:x:0:0\", 10) = 10", fmt(READ, 10, 3, buf, 10));
        assertEquals("read(3, \"root:x:0:0:root:/root:/bin/bash\\n\"..., 100) = 42", fmt(READ, 42, 3, buf, 100));
        assertEquals("read(99, " + hex(buf) + ", 10) = -1 EBADF (Bad file descriptor)",
                fmt(READ, err(Errno.EBADF), 99, buf, 10));
        assertEquals("read(12, \"\", 0) = 0", fmt(READ, 0, 12, buf, 0));
        assertEquals("read(0, NULL, 18446744073709551615) = -1 EFAULT (Bad address)",
                fmt(READ, err(Errno.EFAULT), 0, 0, -1));
    }

    @Test
    void unreadableMemoryPrintsThePointer() {
        long bad = mem.end() + 0x100;
        assertEquals("write(1, " + hex(bad) + ", 5) = 5", fmt(WRITE, 5, 1, bad, 5));
        assertEquals("openat(AT_FDCWD, 0x1, O_ACCMODE) = -1 EFAULT (Bad address)",
                fmt(OPENAT, err(Errno.EFAULT), -100, 1, 3));
        assertEquals("fstat(0, 0x8) = -1 EFAULT (Bad address)", fmt(FSTAT, err(Errno.EFAULT), 0, 8));
        // Even a successful call: the struct is simply not shown.
        assertEquals("uname(" + hex(bad) + ") = 0", fmt(UNAME, 0, bad));
        // No memory at all reads as unmapped.
        long buf = mem.putBytes("x");
        assertEquals("write(1, " + hex(buf) + ", 1) = 1", StraceFormatter.format(WRITE, new long[] {1, buf, 1, 0, 0, 0}, 1, null));
    }

    @Test
    void openAndOpenat() {
        long path = mem.putString("/etc/passwd");
        assertEquals("openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3",
                fmt(OPENAT, 3, -100, path, 02000000));
        long tmp = mem.putString("/tmp/x_abi");
        assertEquals("open(\"/tmp/x_abi\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4", fmt(OPEN, 4, tmp, 01101, 0644));
        long tmpf = mem.putString("/tmp/tmpf");
        assertEquals("openat(AT_FDCWD, \"/tmp/tmpf\", O_RDWR|O_TMPFILE, 0600) = -1 ENOENT (No such file or directory)",
                fmt(OPENAT, err(Errno.ENOENT), -100, tmpf, 020200002, 0600));
        assertEquals("openat(3, \"/tmp/tmpf\", O_RDONLY|O_DIRECTORY) = 15", fmt(OPENAT, 15, 3, tmpf, 0200000));
    }

    @Test
    void pathsAreNotCut() {
        String longPath = "/a/very/long/path/name/that/is/longer/than/thirty-two/characters";
        long path = mem.putString(longPath);
        assertEquals("openat(AT_FDCWD, \"" + longPath + "\", O_RDONLY) = -1 ENOENT (No such file or directory)",
                fmt(OPENAT, err(Errno.ENOENT), -100, path, 0));
    }

    @Test
    void mmapAndFriendsPrintAddressesInHex() {
        assertEquals("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f6a3333d000",
                fmt(MMAP, 0x7f6a3333d000L, 0, 8192, 3, 0x22, -1, 0));
        assertEquals("mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1000) = -1 EBADF (Bad file descriptor)",
                fmt(MMAP, err(Errno.EBADF), 0, 4096, 5, 0x812, 3, 0x1000));
        assertEquals("mprotect(0x7f348cd8a000, 16384, PROT_READ) = 0", fmt(MPROTECT, 0, 0x7f348cd8a000L, 16384, 1));
        assertEquals("munmap(0x7f348cd9d000, 34719) = 0", fmt(MUNMAP, 0, 0x7f348cd9d000L, 34719));
        assertEquals("brk(NULL) = 0x55555555a000", fmt(BRK, 0x55555555a000L, 0));
        assertEquals("mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x5000) = -1 EFAULT (Bad address)",
                fmt(MREMAP, err(Errno.EFAULT), 0x1000, 4096, 8192, 3, 0x5000));
        assertEquals("madvise(NULL, 0, MADV_DONTNEED) = 0", fmt(MADVISE, 0, 0, 0, 4));
    }

    @Test
    void exitNeverReturns() {
        assertEquals("exit_group(0) = ?", fmt(EXIT_GROUP, 0, 0));
        assertEquals("exit(3) = ?", fmt(EXIT, 0, 3));
    }

    /** A struct stat with the given mode, size and rdev. */
    private long stat(int mode, long size, long rdev) {
        byte[] b = new byte[144];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putInt(24, mode).putLong(40, rdev).putLong(48, size);
        return mem.put(b);
    }

    @Test
    void statFamily() {
        long empty = mem.putString("");
        long st = stat(0100644, 1221, 0);
        assertEquals("newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1221, ...}, AT_EMPTY_PATH) = 0",
                fmt(NEWFSTATAT, 0, 3, empty, st, 0x1000));
        long dev = stat(0020666, 0, 0x103);
        assertEquals("fstat(1, {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0", fmt(FSTAT, 0, 1, dev));
        long tmp = mem.putString("/tmp");
        long dir = stat(0041777, 4096, 0);
        assertEquals("stat(\"/tmp\", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0", fmt(STAT, 0, tmp, dir));
        long none = mem.putString("/nonexist");
        assertEquals("newfstatat(AT_FDCWD, \"/nonexist\", " + hex(dir) + ", 0) = -1 ENOENT (No such file or directory)",
                fmt(NEWFSTATAT, err(Errno.ENOENT), -100, none, dir, 0));
    }

    @Test
    void iovecs() {
        long hello = mem.putBytes("hello");
        long world = mem.putBytes("world\n");
        long iov = mem.putLongs(hello, 5, world, 6);
        assertEquals("writev(1, [{iov_base=\"hello\", iov_len=5}, {iov_base=\"world\\n\", iov_len=6}], 2) = 11",
                fmt(WRITEV, 11, 1, iov, 2));
        long a = mem.putBytes("abc");
        long b = mem.putBytes("defgh\0\0\0\0\0");
        long riov = mem.putLongs(a, 3, b, 10);
        assertEquals("readv(11, [{iov_base=\"abc\", iov_len=3}, {iov_base=\"defgh\", iov_len=10}], 2) = 8",
                fmt(READV, 8, 11, riov, 2));
        assertEquals("preadv(11, [{iov_base=" + hex(a) + ", iov_len=3}, {iov_base=" + hex(b)
                        + ", iov_len=10}], 2, 0) = -1 ESPIPE (Illegal seek)",
                fmt(PREADV, err(Errno.ESPIPE), 11, riov, 2, 0));
        assertEquals("readv(0, 0x8, 2) = -1 EFAULT (Bad address)", fmt(READV, err(Errno.EFAULT), 0, 8, 2));
        assertEquals("writev(1, NULL, 0) = 0", fmt(WRITEV, 0, 1, 0, 0));
    }

    @Test
    void lseek() {
        assertEquals("lseek(3, 0, SEEK_END) = 1221", fmt(LSEEK, 1221, 3, 0, 2));
        assertEquals("lseek(3, 0, 0x7 /* SEEK_??? */) = -1 EINVAL (Invalid argument)",
                fmt(LSEEK, err(Errno.EINVAL), 3, 0, 7));
        assertEquals("lseek(0, -1, SEEK_SET) = 0", fmt(LSEEK, 0, 0, -1, 0));
    }

    @Test
    void ioctls() {
        long buf = mem.alloc(64);
        assertEquals("ioctl(1, TCGETS, " + hex(buf) + ") = -1 ENOTTY (Inappropriate ioctl for device)",
                fmt(IOCTL, err(Errno.ENOTTY), 1, 0x5401, buf));
        long termios = mem.putInts(0x500, 0x5, 0xbf, 0x8a3b);
        mem.alloc(20);
        assertEquals("ioctl(0, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, "
                        + "c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0",
                fmt(IOCTL, 0, 0, 0x5401, termios));
        long ws = mem.put(new byte[] {24, 0, 80, 0, 1, 0, 2, 0});
        assertEquals("ioctl(1, TIOCSWINSZ, {ws_row=24, ws_col=80, ws_xpixel=1, ws_ypixel=2}) = 0",
                fmt(IOCTL, 0, 1, 0x5414, ws));
        long pgrp = mem.putInts(4277);
        assertEquals("ioctl(0, TIOCGPGRP, [4277]) = 0", fmt(IOCTL, 0, 0, 0x540f, pgrp));
        assertEquals("ioctl(1, FIOCLEX) = 0", fmt(IOCTL, 0, 1, 0x5451, 0));
        assertEquals("ioctl(1, _IOC(_IOC_NONE, 0x12, 0x34, 0), 0x55) = -1 ENOTTY (Inappropriate ioctl for device)",
                fmt(IOCTL, err(Errno.ENOTTY), 1, 0x1234, 0x55));
        assertEquals("ioctl(1, _IOC(_IOC_READ|_IOC_WRITE, 0x54, 0, 0x10), 0) = -1 ENOTTY (Inappropriate ioctl for device)",
                fmt(IOCTL, err(Errno.ENOTTY), 1, 0xc0105400L, 0));
    }

    @Test
    void threadAndProcessSetup() {
        assertEquals("arch_prctl(ARCH_SET_FS, 0x7f348cbb8740) = 0", fmt(ARCH_PRCTL, 0, 0x1002, 0x7f348cbb8740L));
        long fs = mem.putLongs(0x7ff597d7e740L);
        assertEquals("arch_prctl(ARCH_GET_FS, [0x7ff597d7e740]) = 0", fmt(ARCH_PRCTL, 0, 0x1003, fs));
        assertEquals("arch_prctl(0x3001 /* ARCH_??? */, 0) = -1 EINVAL (Invalid argument)",
                fmt(ARCH_PRCTL, err(Errno.EINVAL), 0x3001, 0));
        assertEquals("set_tid_address(0x7f348cbb8a10) = 3838", fmt(SET_TID_ADDRESS, 3838, 0x7f348cbb8a10L));
        assertEquals("set_robust_list(0x7f348cbb8a20, 24) = 0", fmt(SET_ROBUST_LIST, 0, 0x7f348cbb8a20L, 24));
        // strace 6.1 does not decode rseq: raw arguments.
        assertEquals("rseq(0x7f348cbb9060, 0x20, 0, 0x53053053) = 0",
                fmt(RSEQ, 0, 0x7f348cbb9060L, 0x20, 0, 0x53053053));
        long prl = mem.putLongs(8192 * 1024, -1);
        assertEquals("prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
                fmt(PRLIMIT64, 0, 0, 3, 0, prl));
        assertEquals("prlimit64(1, 0x63 /* RLIMIT_??? */, NULL, NULL) = -1 EINVAL (Invalid argument)",
                fmt(PRLIMIT64, err(Errno.EINVAL), 1, 99, 0, 0));
    }

    @Test
    void uname() {
        byte[] uts = new byte[6 * 65];
        System.arraycopy("Linux".getBytes(), 0, uts, 0, 5);
        System.arraycopy("vm".getBytes(), 0, uts, 65, 2);
        assertEquals("uname({sysname=\"Linux\", nodename=\"vm\", ...}) = 0", fmt(UNAME, 0, mem.put(uts)));
        assertEquals("uname(NULL) = -1 EFAULT (Bad address)", fmt(UNAME, err(Errno.EFAULT), 0));
    }

    @Test
    void getrandomIsAlwaysHex() {
        long buf = mem.put(new byte[] {0x72, (byte) 0xdd, 0x0d, (byte) 0xc8, 0x27, 0x41, 0x6b, 0x46});
        assertEquals("getrandom(\"\\x72\\xdd\\x0d\\xc8\\x27\\x41\\x6b\\x46\", 8, GRND_NONBLOCK|GRND_RANDOM) = 8",
                fmt(GETRANDOM, 8, buf, 8, 3));
        assertEquals("getrandom(" + hex(buf) + ", 4, GRND_INSECURE|0x40) = -1 EINVAL (Invalid argument)",
                fmt(GETRANDOM, err(Errno.EINVAL), buf, 4, 0x44));
    }

    @Test
    void clocksAndSleeps() {
        long ts = mem.putLongs(209, 125716013);
        assertEquals("clock_gettime(CLOCK_MONOTONIC, {tv_sec=209, tv_nsec=125716013}) = 0",
                fmt(CLOCK_GETTIME, 0, 1, ts));
        assertEquals("clock_gettime(0x4d /* CLOCK_??? */, " + hex(ts) + ") = -1 EINVAL (Invalid argument)",
                fmt(CLOCK_GETTIME, err(Errno.EINVAL), 77, ts));
        assertEquals("clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=209, tv_nsec=125716013}, NULL) = 0",
                fmt(CLOCK_NANOSLEEP, 0, 1, 1, ts, 0));
        long req = mem.putLongs(0, 1000);
        long rem = mem.putLongs(0, 999);
        assertEquals("nanosleep({tv_sec=0, tv_nsec=1000}, " + hex(rem) + ") = 0", fmt(NANOSLEEP, 0, req, rem));
        assertEquals("nanosleep({tv_sec=0, tv_nsec=1000}, {tv_sec=0, tv_nsec=999}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)",
                fmt(NANOSLEEP, err(Errno.ERESTART_RESTARTBLOCK), req, rem));
    }

    @Test
    void readlinkAndNoArgumentCalls() {
        long path = mem.putString("/proc/self/exe");
        long buf = mem.putBytes("/tmp/abi/files\0\0\0\0");
        assertEquals("readlink(\"/proc/self/exe\", \"/tmp/abi/files\", 200) = 14", fmt(READLINK, 14, path, buf, 200));
        assertEquals("getpid() = 42", fmt(GETPID, 42));
        assertEquals("sched_yield() = 0", fmt(SCHED_YIELD, 0));
    }

    @Test
    void signals() {
        assertEquals("kill(999999, SIGRT_1) = -1 ESRCH (No such process)", fmt(KILL, err(Errno.ESRCH), 999999, 33));
        assertEquals("kill(999999, 65) = -1 ESRCH (No such process)", fmt(KILL, err(Errno.ESRCH), 999999, 65));
        assertEquals("tgkill(3837, 3837, 0) = 0", fmt(TGKILL, 0, 3837, 3837, 0));
        long act = mem.putLongs(0x55d07ba00279L, 0x14000000, 0x7ff597dbd050L, 1L << 1);
        assertEquals("rt_sigaction(SIGUSR1, {sa_handler=0x55d07ba00279, sa_mask=[INT], sa_flags=SA_RESTORER|SA_RESTART, "
                + "sa_restorer=0x7ff597dbd050}, NULL, 8) = 0", fmt(RT_SIGACTION, 0, 10, act, 0, 8));
        long ign = mem.putLongs(1, 0x10000000, 0, 0);
        assertEquals("rt_sigaction(SIGUSR2, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTART}, NULL, 8) = 0",
                fmt(RT_SIGACTION, 0, 12, ign, 0, 8));
        long full = mem.putLongs(~((1L << 31) | (1L << 32)));
        assertEquals("rt_sigprocmask(SIG_BLOCK, ~[RTMIN RT_1], NULL, 8) = 0", fmt(RT_SIGPROCMASK, 0, 0, full, 0, 8));
        long empty = mem.putLongs(0);
        long old = mem.putLongs(~((1L << 8) | (1L << 18)));
        assertEquals("rt_sigprocmask(SIG_SETMASK, [], ~[KILL STOP], 8) = 0", fmt(RT_SIGPROCMASK, 0, 2, empty, old, 8));
        assertEquals("rt_sigprocmask(SIG_SETMASK, " + hex(empty) + ", NULL, 16) = -1 EINVAL (Invalid argument)",
                fmt(RT_SIGPROCMASK, err(Errno.EINVAL), 2, empty, 0, 16));
    }

    @Test
    void execve() {
        long path = mem.putString("/bin/true");
        long a0 = mem.putString("/bin/true");
        long a1 = mem.putString("a b");
        long a2 = mem.putString("\n");
        long argv = mem.putLongs(a0, a1, a2, 0);
        long envp = mem.putLongs(mem.putString("X=1"), 0);
        assertEquals("execve(\"/bin/true\", [\"/bin/true\", \"a b\", \"\\n\"], " + hex(envp) + " /* 1 var */) = 0",
                fmt(EXECVE, 0, path, argv, envp));
        long nx = mem.putString("/nonexistent");
        long longArg = mem.putString("012345678901234567890123456789012345");
        long argv2 = mem.putLongs(longArg, mem.putString("x"), 0);
        assertEquals("execve(\"/nonexistent\", [\"01234567890123456789012345678901\"..., \"x\"], NULL) = -1 ENOENT (No such file or directory)",
                fmt(EXECVE, err(Errno.ENOENT), nx, argv2, 0));
        long[] many = new long[45];
        long a = mem.putString("a");
        for (int i = 0; i < 44; i++) many[i] = a;
        long manyArgv = mem.putLongs(many);
        long env0 = mem.putLongs(0);
        String expected = "execve(\"/nonexistent\", [" + "\"a\", ".repeat(32) + "...], " + hex(env0) + " /* 0 vars */)"
                + " = -1 ENOENT (No such file or directory)";
        assertEquals(expected, fmt(EXECVE, err(Errno.ENOENT), nx, manyArgv, env0));
    }

    @Test
    void accessCalls() {
        long path = mem.putString("/etc/passwd");
        assertEquals("access(\"/etc/passwd\", R_OK|W_OK) = 0", fmt(ACCESS, 0, path, 6));
        assertEquals("access(\"/etc/passwd\", F_OK) = 0", fmt(ACCESS, 0, path, 0));
        long etc = mem.putString("/etc");
        assertEquals("faccessat2(AT_FDCWD, \"/etc\", R_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = 0",
                fmt(FACCESSAT2, 0, -100, etc, 4, 0x300));
        assertEquals("faccessat(7, \"/etc\", F_OK) = 0", fmt(FACCESSAT, 0, 7, etc, 0));
    }

    @Test
    void getdentsCountsEntries() {
        byte[] buf = new byte[200];
        int[] reclens = {24, 24, 32, 32, 24, 32, 32};
        int off = 0;
        for (int r : reclens) {
            buf[off + 16] = (byte) r;
            off += r;
        }
        long dirp = mem.put(buf);
        assertEquals("getdents64(15, " + hex(dirp) + " /* 7 entries */, 200) = 200", fmt(GETDENTS64, 200, 15, dirp, 200));
        assertEquals("getdents64(9, " + hex(dirp) + " /* 0 entries */, 64) = 0", fmt(GETDENTS64, 0, 9, dirp, 64));
    }

    @Test
    void fdCalls() {
        assertEquals("dup3(1, 11, O_CLOEXEC) = 11", fmt(DUP3, 11, 1, 11, 02000000));
        assertEquals("dup3(1, 9, 0x5 /* O_??? */) = -1 EINVAL (Invalid argument)", fmt(DUP3, err(Errno.EINVAL), 1, 9, 5));
        assertEquals("dup2(1, 10) = 10", fmt(DUP2, 10, 1, 10));
        assertEquals("close(3) = -1 EBADF (Bad file descriptor)", fmt(CLOSE, err(Errno.EBADF), 3));
        long fds = mem.putInts(6, 7);
        assertEquals("pipe2([6, 7], O_CLOEXEC) = 0", fmt(PIPE2, 0, fds, 02000000));
        assertEquals("pipe2(NULL, O_NONBLOCK|O_DIRECT|O_CLOEXEC) = -1 EFAULT (Bad address)",
                fmt(PIPE2, err(Errno.EFAULT), 0, 02044000));
    }

    @Test
    void fcntl() {
        assertEquals("fcntl(1, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)", fmt(FCNTL, 0x8001, 1, 3));
        assertEquals("fcntl(1, F_GETFD) = 0x1 (flags FD_CLOEXEC)", fmt(FCNTL, 1, 1, 1));
        assertEquals("fcntl(1, F_GETFD) = 0", fmt(FCNTL, 0, 1, 1));
        assertEquals("fcntl(1, F_SETFD, FD_CLOEXEC) = 0", fmt(FCNTL, 0, 1, 2, 1));
        assertEquals("fcntl(1, F_SETFL, O_RDWR|O_NONBLOCK) = 0", fmt(FCNTL, 0, 1, 4, 04002));
        assertEquals("fcntl(1, F_DUPFD_CLOEXEC, 3) = 13", fmt(FCNTL, 13, 1, 1030, 3));
        assertEquals("fcntl(1, 0x4d2 /* F_??? */, 0x5) = -1 EINVAL (Invalid argument)",
                fmt(FCNTL, err(Errno.EINVAL), 1, 1234, 5));
        assertEquals("fcntl(1, F_GETSIG) = 5 (SIGTRAP)", fmt(FCNTL, 5, 1, 11));
        byte[] lock = new byte[32];
        lock[0] = 1;
        lock[16] = 10;
        assertEquals("fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0",
                fmt(FCNTL, 0, 3, 6, mem.put(lock)));
    }

    @Test
    void wait4AndClone() {
        long status = mem.putInts(0);
        assertEquals("wait4(3838, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 3838",
                fmt(WAIT4, 3838, 3838, status, 0, 0));
        long killed = mem.putInts(9);
        assertEquals("wait4(3840, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], WSTOPPED|WCONTINUED, NULL) = 3840",
                fmt(WAIT4, 3840, 3840, killed, 10, 0));
        assertEquals("wait4(-1, " + hex(status) + ", WNOHANG|__WALL, NULL) = -1 ECHILD (No child processes)",
                fmt(WAIT4, err(Errno.ECHILD), -1, status, 0x40000001, 0));
        assertEquals("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
                + "child_tidptr=0x7ff597d7ea10) = 3838", fmt(CLONE, 3838, 0x1200011, 0, 0, 0x7ff597d7ea10L, 0));
        assertEquals("clone(child_stack=0x1000, flags=CLONE_THREAD|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_SETTID|SIGUSR1, "
                        + "parent_tid=0x2000, tls=0x4000, child_tidptr=0x3000) = -1 EINVAL (Invalid argument)",
                fmt(CLONE, err(Errno.EINVAL), 0x1190000 | 10, 0x1000, 0x2000, 0x3000, 0x4000));
        long ptid = mem.putInts(1235);
        assertEquals("clone(child_stack=0x7f0000, flags=CLONE_VM|CLONE_PARENT_SETTID, parent_tid=[1235]) = 1235",
                fmt(CLONE, 1235, 0x100100, 0x7f0000, ptid, 0, 0));
    }

    @Test
    void unknownAndUndecodedCalls() {
        assertEquals("syscall_0x1c8(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 EINVAL (Invalid argument)",
                fmt(0x1c8, err(Errno.EINVAL), 1, 2, 3, 4, 5, 6));
        assertEquals("syscall_0x3e8(0, 0, 0, 0, 0, 0) = -1 ENOSYS (Function not implemented)",
                fmt(1000, err(Errno.ENOSYS)));
        // A known call without a decoder: its raw arguments, as many as it takes.
        assertEquals("futex(0x7f00, 0x81, 0x1, 0, 0, 0) = 0", fmt(FUTEX, 0, 0x7f00, 0x81, 1));
    }

    @Test
    void errorsStraceHasNoNameFor() {
        assertEquals("getcwd(0x29, 0) = -1 (errno 41)", fmt(GETCWD, -41, 0x29, 0));
        assertEquals("getcwd(0x200, 0) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)",
                fmt(GETCWD, -512, 0x200, 0));
        assertEquals("getcwd(0x203, 0) = -1 ENOIOCTLCMD (Unknown error 515)", fmt(GETCWD, -515, 0x203, 0));
    }

    @Test
    void alignedLikeStrace() {
        assertEquals("getpid()                                = 1356", StraceFormatter.formatAligned(
                GETPID, new long[6], 1356, mem));
        assertEquals("access(\"aaaaaaaaaaaaaaaaaaaaaaa\", F_OK) = -1 ENOENT (No such file or directory)",
                StraceFormatter.align("access(\"aaaaaaaaaaaaaaaaaaaaaaa\", F_OK)", "-1 ENOENT (No such file or directory)"));
        assertEquals("access(\"aaaaaaaaaaaaaaaaaaaaaa\", F_OK)  = 0",
                StraceFormatter.align("access(\"aaaaaaaaaaaaaaaaaaaaaa\", F_OK)", "0"));
    }
}
