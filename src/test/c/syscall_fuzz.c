// Thousands of system calls with hostile arguments: bad pointers (NULL, unmapped, kernel-half,
// non-canonical, read-only), huge and negative sizes and counts, bad fds and flags. The kernel
// must answer each with an errno or a result and keep running; the test prints only that it
// got through, since results may differ where Jux is still partial (the harness fails on any
// OOPS in the kernel log). Calls that would end or cripple the process itself are left out:
// exit, kill/tgkill with a real signal, munmap/mprotect/brk/madvise/mmap(MAP_FIXED) of
// random ranges, arch_prctl(SET_FS), sleeps, reads that could block, and random syscall
// numbers (natively, kill(-1, 9) or pause() would be a disaster).
// timeout: 120
#include "jux_test.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void) {                      /* xorshift64*: the same sequence everywhere */
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

/* Big enough for any transfer below: the pipe holds at most 64 KiB, getrandom asks < 100000. */
static char buffer[256 * 1024];
static char *readonly, *unmapped;
static int pipefd[2];

static long pointer(void) {
    switch (next() % 9) {
    case 0: return 0;
    case 1: return 1;
    case 2: return (long)unmapped;
    case 3: return (long)0xffff888000000000UL;     /* the kernel half */
    case 4: return (long)0x0000800000000000UL;     /* non-canonical */
    case 5: return (long)readonly;
    case 6: return (long)(buffer + 4096 - (next() % 64)); /* crosses into the next page */
    case 7: return (long)(readonly + 4096 - 8);           /* read-only, then unmapped */
    default: return (long)buffer;
    }
}

static long size(void) {
    switch (next() % 7) {
    case 0: return 0;
    case 1: return -1;
    case 2: return 1L << 40;
    case 3: return 0x7ffff000;
    case 4: return next() % 8192;
    case 5: return (long)next();
    default: return 16;
    }
}

/* Only fds that can never block: bad ones and the non-blocking pipe. */
static long fd(void) {
    switch (next() % 5) {
    case 0: return -1;
    case 1: return 100000;
    case 2: return pipefd[0];
    case 3: return pipefd[1];
    default: return AT_FDCWD;
    }
}

static long bad_pointer(void) {
    long p;
    do p = pointer(); while (p == (long)buffer || p == (long)readonly || (p >= (long)buffer && p < (long)buffer + sizeof buffer));
    return p;
}

static long any(void) {
    switch (next() % 4) {
    case 0: return 0;
    case 1: return -1;
    case 2: return next() % 64;
    default: return (long)next();
    }
}

/*
 * An iovec array of hostile entries, or a bad array pointer. Never iovecs taken from the
 * buffer: after arch_prctl(ARCH_GET_FS) it holds real addresses (the TLS), and a readv
 * through them would scribble over libc's own data.
 */
static struct { long base, len; } iov[8];
static long iovecs(void) {
    if (next() % 4 == 0) return bad_pointer();
    for (int i = 0; i < 8; i++) { iov[i].base = pointer(); iov[i].len = size(); }
    return (long)iov;
}

int main(void) {
    readonly = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unmapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    /* A page with nothing after it, so that readonly + 4096 - 8 runs into a hole. */
    munmap(readonly + 4096, 4096);
    if (pipe2(pipefd, O_NONBLOCK) != 0) return 1;

    long calls = 0;
    for (int i = 0; i < 6000; i++) {
        switch (next() % 24) {
        case 0: syscall(SYS_read, fd(), pointer(), size()); break;
        case 1: syscall(SYS_write, pipefd[1], pointer(), size()); break;
        case 2: syscall(SYS_readv, fd(), iovecs(), any()); break;
        case 3: syscall(SYS_writev, pipefd[1], iovecs(), any()); break;
        case 4: syscall(SYS_fstat, fd(), pointer()); break;
        case 5: syscall(SYS_newfstatat, fd(), pointer(), pointer(), any()); break;
        case 6: syscall(SYS_ioctl, fd(), any(), pointer()); break;
        case 7: syscall(SYS_readlink, pointer(), pointer(), size()); break;
        case 8: syscall(SYS_openat, fd(), pointer(), any(), any()); break;
        case 9: syscall(SYS_pipe2, pointer(), O_NONBLOCK | (any() & O_CLOEXEC)); break;
        case 10: { long r = syscall(SYS_dup, fd()); if (r > 2) close(r); break; }
        case 11: syscall(SYS_fcntl, fd(), any(), any()); break;
        case 12: syscall(SYS_clock_gettime, any(), pointer()); break;
        case 13: syscall(SYS_clock_getres, any(), pointer()); break;
        case 14: syscall(SYS_gettimeofday, pointer(), pointer()); break;
        case 15: syscall(SYS_uname, pointer()); break;
        case 16: syscall(SYS_getrandom, pointer(), (unsigned long)size() % 100000, any()); break;
        case 17: syscall(SYS_prlimit64, any() % 3, any(), 0, pointer()); break;
        case 18: syscall(SYS_rt_sigprocmask, any() % 4, 0, pointer(), any() % 16); break;
        case 19: syscall(SYS_rt_sigaction, any(), 0, pointer(), any() % 16); break;
        case 20: {
            long len = size(), flags = any() & ~(MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_POPULATE | MAP_LOCKED);
            long r = syscall(SYS_mmap, 0, len, any() & 7, flags, fd(), any());
            if (r > 0 && r < 0x800000000000L) munmap((void *)r, len);
            break;
        }
        case 21: syscall(SYS_arch_prctl, 0x1003 + (next() % 2), pointer()); break;  /* ARCH_GET_FS/GS */
        case 22: syscall(SYS_nanosleep, bad_pointer(), pointer()); break;  /* EFAULT, never a sleep */
        default: syscall(SYS_getppid + 1000 * (long)(next() % 3), any(), any()); break;  /* 110, 1110, 2110: ENOSYS */
        }
        /* fcntl(F_SETFL) or ioctl(FIONBIO) may have made the pipe blocking again. */
        fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
        fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
        calls++;
    }
    /* Close whatever the fuzzing opened above fd 2, and show the process still works. */
    for (int f = 3; f < 1024; f++) close(f);
    printf("made %ld calls and is still running\n", calls);
    return 0;
}
