// Thousands of path system calls with hostile arguments inside a scratch directory: names
// from a fixed set (never "..", never absolute, so nothing natively can leave the scratch
// directory), random flags and modes, bad pointers, bad fds. The kernel must answer each and
// keep running (the harness fails on any OOPS); results may differ where Jux is partial, so
// the test prints only that it got through. Symlink targets are plain names from the same set.
// timeout: 120
#include "fs_scratch.h"
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/mman.h>

static uint64_t state = 0x2545F4914F6CDD1DULL;
static uint64_t next(void) {
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 0x9e3779b97f4a7c15ULL;
}

static const char *names[] = {"a", "b", "c", "a/b", "a/b/c", "b/a", "c/", "a/./b", "", ".",
                              "a//b", "dir", "dir/f", "f", "link", "link/x", "nonexistent/x"};
static char longname[300];
static char *unmapped;

static long path(void) {
    switch (next() % 12) {
    case 0: return 0;
    case 1: return 1;
    case 2: return (long)unmapped;
    case 3: return (long)0xffff888000000000UL;
    case 4: return (long)longname;
    default: return (long)names[next() % (sizeof names / sizeof names[0])];
    }
}

static long anydir(void) {
    switch (next() % 4) {
    case 0: return -1;
    case 1: return 100000;
    case 2: return 0;                 /* stdin: not a directory */
    default: return AT_FDCWD;
    }
}

static long flags(void) { return next() % 4 == 0 ? (long)next() : (long)(next() & 0x3fffff); }

int main(void) {
    scratch_enter();
    memset(longname, 'n', sizeof longname - 1);
    unmapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    char buf[4096];
    int opened = 0;
    for (int i = 0; i < 4000; i++) {
        long r = 0;
        switch (next() % 16) {
        case 0: r = syscall(SYS_openat, anydir(), path(), flags() & ~(long)O_PATH, next() & 07777); break;
        case 1: syscall(SYS_mkdirat, anydir(), path(), next() & 07777); break;
        case 2: syscall(SYS_unlinkat, anydir(), path(), next() % 3 == 0 ? AT_REMOVEDIR : 0); break;
        case 3: syscall(SYS_renameat2, anydir(), path(), anydir(), path(), next() % 4); break;
        case 4: syscall(SYS_symlinkat, names[next() % 3], anydir(), path()); break;
        case 5: syscall(SYS_linkat, anydir(), path(), anydir(), path(), flags() & 0x1400); break;
        case 6: syscall(SYS_fchmodat, anydir(), path(), next() & 07777, 0); break;
        case 7: syscall(SYS_utimensat, anydir(), path(), 0, flags() & 0x100); break;
        case 8: syscall(SYS_newfstatat, anydir(), path(), next() % 3 ? (long)buf : path(), flags() & 0x1900); break;
        case 9: syscall(SYS_statx, anydir(), path(), flags() & 0x6900, next(), next() % 3 ? (long)buf : path()); break;
        case 10: syscall(SYS_readlinkat, anydir(), path(), next() % 3 ? (long)buf : path(), next() % 5000); break;
        case 11: syscall(SYS_truncate, path(), (long)(next() % 100000)); break;
        case 12: syscall(SYS_faccessat2, anydir(), path(), next() & 7, flags() & 0x1300); break;
        case 13: syscall(SYS_chdir, path()); if (chdir(scratch_dir) != 0) return 2; break;
        case 14: {                         /* whatever was opened: list, seek, write, truncate */
            int fd = 3 + next() % 16;
            syscall(SYS_getdents64, fd, next() % 3 ? (long)buf : path(), next() % 5000);
            syscall(SYS_lseek, fd, (long)(next() % 100000) - 50000, next() % 6);
            syscall(SYS_write, fd, buf, next() % 64);
            syscall(SYS_pread64, fd, buf, next() % 4096, next() % 100000);
            syscall(SYS_ftruncate, fd, (long)(next() % 70000));
            syscall(SYS_fallocate, fd, next() % 4, next() % 10000, next() % 10000);
            break;
        }
        default: syscall(SYS_getcwd, next() % 3 ? (long)buf : path(), next() % 200); break;
        }
        if (r > 2) {
            opened++;
            if (r > 18) close(r);
        }
    }
    for (int fd = 3; fd < 1024; fd++) close(fd);
    printf("still running after the path calls\n");
    scratch_leave();
    return 0;
}
