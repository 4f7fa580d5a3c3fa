package dev.jux.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The host system calls Jux makes, through the FFM API. This is the only place in Jux that
 * calls native code. Every call returns the raw result; on failure it returns -errno (like a
 * raw Linux system call) instead of setting a thread-local errno, so callers never race with
 * the JVM's own use of errno. File-system calls are in {@link LibcFiles}.
 *
 * <p>A call that is a plain Linux system call is made raw, through libc's syscall(3), as
 * gVisor's Sentry makes its host calls: all of them go through one downcall handle. Binding a
 * handle of a new shape costs ~10 ms in a fresh JVM (java.lang.invoke spins its LambdaForms
 * and a stub), and a static `true` bound nine shapes before it ran: ~80 ms of its ~230 ms
 * start-up. Handles of one shape share them, so one handle is bound once. What only glibc
 * implements (fchmodat's AT_SYMLINK_NOFOLLOW, pthread_sigmask's reserved signals) stays a
 * libc call, bound on its first use ({@link Downcall}). The numbers and struct layouts are
 * x86-64's: the host is x86-64 Linux.
 */
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final ThreadLocal<MemorySegment> CAPTURE_BUF =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

    /** long syscall(long number, ...) with six arguments; constant, so HotSpot inlines the stub (KVM_RUN goes through it on every trap). */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("syscall").orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall")),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));

    // x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl).
    static final long SYS_READ = 0, SYS_WRITE = 1, SYS_OPEN = 2, SYS_CLOSE = 3, SYS_FSTAT = 5,
            SYS_POLL = 7, SYS_LSEEK = 8, SYS_MMAP = 9, SYS_MUNMAP = 11, SYS_IOCTL = 16,
            SYS_PREAD64 = 17, SYS_PWRITE64 = 18, SYS_MADVISE = 28, SYS_DUP = 32, SYS_GETPID = 39,
            SYS_FCNTL = 72, SYS_FSYNC = 74, SYS_FDATASYNC = 75, SYS_FTRUNCATE = 77, SYS_FCHMOD = 91,
            SYS_FCHOWN = 93, SYS_RT_SIGTIMEDWAIT = 128, SYS_FSTATFS = 138, SYS_GETTID = 186,
            SYS_GETDENTS64 = 217, SYS_TGKILL = 234, SYS_OPENAT = 257, SYS_MKDIRAT = 258,
            SYS_MKNODAT = 259, SYS_FCHOWNAT = 260, SYS_NEWFSTATAT = 262, SYS_UNLINKAT = 263,
            SYS_LINKAT = 265, SYS_SYMLINKAT = 266, SYS_READLINKAT = 267, SYS_UTIMENSAT = 280,
            SYS_FALLOCATE = 285, SYS_RENAMEAT2 = 316, SYS_STATX = 332, SYS_OPENAT2 = 437;

    /** A libc function (not a plain system call), bound on first use. */
    static MethodHandle fn(String name, FunctionDescriptor fd, boolean errno) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return errno
                ? LINKER.downcallHandle(addr, fd, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(addr, fd);
    }

    private static final Downcall PTHREAD_SIGMASK = new Downcall(() -> fn("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false));

    public static final int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000;
    public static final int PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4;
    public static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1;
    public static final int F_GETFL = 3, F_SETFL = 4;

    static int errno() {
        return (int) ERRNO.get(CAPTURE_BUF.get(), 0L);
    }

    static long result(long r) {
        return r < 0 ? -errno() : r;
    }

    static RuntimeException fail(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /**
     * A raw system call; unused arguments are 0 (the kernel ignores them), pointers are
     * {@link #address}es. Returns the result or -errno.
     */
    public static long syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            return result((long) SYSCALL.invokeExact(CAPTURE_BUF.get(), nr, a0, a1, a2, a3, a4, a5));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    static long syscall(long nr, long a0, long a1, long a2, long a3) {
        return syscall(nr, a0, a1, a2, a3, 0, 0);
    }

    static long syscall(long nr, long a0, long a1, long a2) {
        return syscall(nr, a0, a1, a2, 0, 0, 0);
    }

    static long syscall(long nr, long a0, long a1) {
        return syscall(nr, a0, a1, 0, 0, 0, 0);
    }

    static long syscall(long nr, long a0) {
        return syscall(nr, a0, 0, 0, 0, 0, 0);
    }

    /**
     * The address to pass for {@code s}: native memory only (a heap segment's "address" is an
     * offset in its array, which the kernel would take for a pointer). The caller keeps the
     * segment alive for the call, as the arenas around these calls do.
     */
    static long address(MemorySegment s) {
        if (!s.isNative()) throw new IllegalArgumentException("a host call needs native memory, not " + s);
        return s.address();
    }

    public static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) syscall(SYS_OPEN, address(a.allocateFrom(path)), flags, 0);
        }
    }

    public static int close(int fd) {
        return (int) syscall(SYS_CLOSE, fd);
    }

    /** dup(2): a new fd for the same open file description; returns it or -errno. */
    public static int dup(int fd) {
        return (int) syscall(SYS_DUP, fd);
    }

    /** fcntl(2) with an integer argument (0 for commands that take none, e.g. F_GETFL); result or -errno. */
    public static int fcntl(int fd, int cmd, long arg) {
        return (int) syscall(SYS_FCNTL, fd, cmd, arg);
    }

    public static long read(int fd, MemorySegment buf, long len) {
        return syscall(SYS_READ, fd, address(buf), len);
    }

    public static long write(int fd, MemorySegment buf, long len) {
        return syscall(SYS_WRITE, fd, address(buf), len);
    }

    /** poll(2) on an array of struct pollfd; returns the count of ready fds or -errno. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMs) {
        return (int) syscall(SYS_POLL, address(fds), nfds, timeoutMs);
    }

    /** ioctl with a pointer argument; returns the result or -errno. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        return (int) syscall(SYS_IOCTL, fd, request, address(arg));
    }

    /** ioctl with an integer argument; returns the result or -errno. */
    public static int ioctl(int fd, long request, long arg) {
        return (int) syscall(SYS_IOCTL, fd, request, arg);
    }

    /** mmap; returns the mapping (sized {@code len}) or throws with the errno on failure. */
    public static MemorySegment mmap(long len, int prot, int flags, int fd, long offset) {
        long r = syscall(SYS_MMAP, 0, len, prot, flags, fd, offset);
        if (r < 0) throw new HostException("mmap", (int) -r);
        return MemorySegment.ofAddress(r).reinterpret(len);
    }

    public static int munmap(MemorySegment seg) {
        return (int) syscall(SYS_MUNMAP, address(seg), seg.byteSize());
    }

    public static int madvise(MemorySegment seg, int advice) {
        return (int) syscall(SYS_MADVISE, address(seg), seg.byteSize(), advice);
    }

    /** fstat into a 144-byte struct stat buffer (x86-64 layout); returns 0 or -errno. */
    public static int fstat(int fd, MemorySegment statBuf) {
        return (int) syscall(SYS_FSTAT, fd, address(statBuf));
    }

    public static int gettid() {
        return (int) syscall(SYS_GETTID, 0);
    }

    public static int getpid() {
        return (int) syscall(SYS_GETPID, 0);
    }

    public static int tgkill(int tgid, int tid, int sig) {
        return (int) syscall(SYS_TGKILL, tgid, tid, sig);
    }

    /** A host sigset_t (glibc's is 128 bytes) with one signal set. */
    public static MemorySegment sigset(Arena arena, int sig) {
        MemorySegment set = arena.allocate(128, 8);
        long word = set.get(ValueLayout.JAVA_LONG, (sig - 1) / 64 * 8);
        set.set(ValueLayout.JAVA_LONG, (sig - 1) / 64 * 8, word | 1L << ((sig - 1) % 64));
        return set;
    }

    /**
     * pthread_sigmask(how, set, NULL) on the calling thread; returns 0 or an error number.
     * glibc's, not the raw rt_sigprocmask: it keeps the signals glibc reserves for itself.
     */
    public static int pthreadSigmask(int how, MemorySegment set) {
        try {
            return (int) PTHREAD_SIGMASK.get().invokeExact(how, set, MemorySegment.NULL);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** Takes a pending signal of {@code set} without waiting; returns it, or -EAGAIN if none. */
    public static int sigtimedwaitNow(MemorySegment set, MemorySegment zeroTimespec) {
        // The kernel's sigset_t is 8 bytes: the first word of glibc's.
        return (int) syscall(SYS_RT_SIGTIMEDWAIT, address(set), 0, address(zeroTimespec), 8);
    }
}
