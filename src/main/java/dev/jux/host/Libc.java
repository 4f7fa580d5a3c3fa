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
 * The host C library calls Jux makes, through the FFM API. This is the only place in Jux
 * that calls native code. Every call returns the raw result; on failure it returns -errno
 * (like a raw Linux system call) instead of setting a thread-local errno, so callers never
 * race with the JVM's own use of errno. File-system calls are in {@link LibcFiles}; the
 * helpers below are package-private so that it binds its calls the same way.
 */
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final ThreadLocal<MemorySegment> CAPTURE_BUF =
            ThreadLocal.withInitial(() -> Arena.global().allocate(CAPTURE));

    static MethodHandle fn(String name, FunctionDescriptor fd, boolean errno) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return errno
                ? LINKER.downcallHandle(addr, fd, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(addr, fd);
    }

    /**
     * A handle that captures errno, or null if this libc lacks {@code name}: glibc added
     * wrappers such as getdents64 (2.30) and renameat2 (2.28) late, and callers then fall back
     * to {@link #syscall}.
     */
    static MethodHandle optionalFn(String name, FunctionDescriptor fd) {
        return LINKER.defaultLookup().find(name)
                .map(addr -> LINKER.downcallHandle(addr, fd, Linker.Option.captureCallState("errno")))
                .orElse(null);
    }

    /**
     * A handle for a C function declared with "...", capturing errno. {@code firstVariadic} is
     * the index of the first variadic argument: on x86-64 a variadic callee reads AL for the
     * number of vector registers used, which FFM sets only when told the call is variadic.
     */
    static MethodHandle variadicFn(String name, FunctionDescriptor fd, int firstVariadic) {
        MemorySegment addr = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(addr, fd, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static final Downcall OPEN = new Downcall(() -> fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), true));
    private static final Downcall CLOSE = new Downcall(() -> fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true));
    private static final Downcall READ = new Downcall(() -> fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true));
    private static final Downcall WRITE = new Downcall(() -> fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), true));
    private static final Downcall IOCTL_PTR = new Downcall(() -> fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), true));
    /** Bound eagerly and constant: KVM_RUN goes through it on every trap. */
    private static final MethodHandle IOCTL_LONG = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), true);
    private static final Downcall MMAP = new Downcall(() -> fn("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), true));
    private static final Downcall MUNMAP = new Downcall(() -> fn("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), true));
    private static final Downcall MADVISE = new Downcall(() -> fn("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true));
    private static final Downcall FSTAT = new Downcall(() -> fn("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), true));
    private static final Downcall GETTID = new Downcall(() -> fn("gettid", FunctionDescriptor.of(JAVA_INT), false));
    private static final Downcall GETPID = new Downcall(() -> fn("getpid", FunctionDescriptor.of(JAVA_INT), false));
    private static final Downcall TGKILL = new Downcall(() -> fn("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true));
    private static final Downcall PTHREAD_SIGMASK = new Downcall(() -> fn("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false));
    private static final Downcall DUP = new Downcall(() -> fn("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true));
    private static final Downcall FCNTL = new Downcall(() -> variadicFn("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), 2));
    private static final Downcall SYSCALL = new Downcall(() -> variadicFn("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1));
    private static final Downcall POLL = new Downcall(() -> fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true));
    private static final Downcall SIGTIMEDWAIT = new Downcall(() -> fn("sigtimedwait", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), true));

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

    public static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            return (int) result((int) OPEN.get().invokeExact(CAPTURE_BUF.get(), a.allocateFrom(path), flags, 0));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) result((int) CLOSE.get().invokeExact(CAPTURE_BUF.get(), fd));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** dup(2): a new fd for the same open file description; returns it or -errno. */
    public static int dup(int fd) {
        try {
            return (int) result((int) DUP.get().invokeExact(CAPTURE_BUF.get(), fd));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** fcntl(2) with an integer argument (0 for commands that take none, e.g. F_GETFL); result or -errno. */
    public static int fcntl(int fd, int cmd, long arg) {
        try {
            return (int) result((int) FCNTL.get().invokeExact(CAPTURE_BUF.get(), fd, cmd, arg));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /**
     * A raw system call through libc's syscall(3), for calls libc has no wrapper for (openat2) or
     * had none before a given version. Unused arguments are passed as 0; the kernel ignores them.
     * Pointers are passed as {@code segment.address()}. Returns the result or -errno.
     */
    public static long syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            return result((long) SYSCALL.get().invokeExact(CAPTURE_BUF.get(), nr, a0, a1, a2, a3, a4, a5));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long len) {
        try {
            return result((long) READ.get().invokeExact(CAPTURE_BUF.get(), fd, buf, len));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long len) {
        try {
            return result((long) WRITE.get().invokeExact(CAPTURE_BUF.get(), fd, buf, len));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** poll(2) on an array of struct pollfd; returns the count of ready fds or -errno. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMs) {
        try {
            return (int) result((int) POLL.get().invokeExact(CAPTURE_BUF.get(), fds, nfds, timeoutMs));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** ioctl with a pointer argument; returns the result or -errno. */
    public static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) result((int) IOCTL_PTR.get().invokeExact(CAPTURE_BUF.get(), fd, request, arg));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** ioctl with an integer argument; returns the result or -errno. */
    public static int ioctl(int fd, long request, long arg) {
        try {
            return (int) result((int) IOCTL_LONG.invokeExact(CAPTURE_BUF.get(), fd, request, arg));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** mmap; returns the mapping (sized {@code len}) or throws with the errno on failure. */
    public static MemorySegment mmap(long len, int prot, int flags, int fd, long offset) {
        try {
            MemorySegment r = (MemorySegment) MMAP.get().invokeExact(CAPTURE_BUF.get(), MemorySegment.NULL, len, prot, flags, fd, offset);
            if (r.address() == -1L) throw new HostException("mmap", errno());
            return r.reinterpret(len);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int munmap(MemorySegment seg) {
        try {
            return (int) result((int) MUNMAP.get().invokeExact(CAPTURE_BUF.get(), seg, seg.byteSize()));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int madvise(MemorySegment seg, int advice) {
        try {
            return (int) result((int) MADVISE.get().invokeExact(CAPTURE_BUF.get(), seg, seg.byteSize(), advice));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** fstat into a 144-byte struct stat buffer (x86-64 layout); returns 0 or -errno. */
    public static int fstat(int fd, MemorySegment statBuf) {
        try {
            return (int) result((int) FSTAT.get().invokeExact(CAPTURE_BUF.get(), fd, statBuf));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int gettid() {
        try {
            return (int) GETTID.get().invokeExact();
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.get().invokeExact();
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    public static int tgkill(int tgid, int tid, int sig) {
        try {
            return (int) result((int) TGKILL.get().invokeExact(CAPTURE_BUF.get(), tgid, tid, sig));
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** A host sigset_t (glibc's is 128 bytes) with one signal set. */
    public static MemorySegment sigset(Arena arena, int sig) {
        MemorySegment set = arena.allocate(128, 8);
        long word = set.get(ValueLayout.JAVA_LONG, (sig - 1) / 64 * 8);
        set.set(ValueLayout.JAVA_LONG, (sig - 1) / 64 * 8, word | 1L << ((sig - 1) % 64));
        return set;
    }

    /** pthread_sigmask(how, set, NULL) on the calling thread; returns 0 or an error number. */
    public static int pthreadSigmask(int how, MemorySegment set) {
        try {
            return (int) PTHREAD_SIGMASK.get().invokeExact(how, set, MemorySegment.NULL);
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** Takes a pending signal of {@code set} without waiting; returns it, or -EAGAIN if none. */
    public static int sigtimedwaitNow(MemorySegment set, MemorySegment zeroTimespec) {
        try {
            return (int) result((int) SIGTIMEDWAIT.get().invokeExact(CAPTURE_BUF.get(), set, MemorySegment.NULL, zeroTimespec));
        } catch (Throwable t) {
            throw fail(t);
        }
    }
}
