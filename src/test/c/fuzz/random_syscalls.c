/*
 * Random system calls with random arguments, for Jux only (never run natively: as root,
 * kill(-1, 9) or unlink of a host path would be a disaster). Under Jux the default root is
 * read-only below an in-memory layer, so nothing reaches the host. Calls that would end or
 * wreck this very program early are left out (exit, execve, fork-like calls, signals to
 * itself, unmapping or re-protecting its memory, moving its TLS); everything else is fair
 * game, including calls that block: the test's watchdog ends those. argv[1] seeds it.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

static uint64_t state;
static uint64_t next(void) {
    state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

static char buffer[64 * 1024];

static long arg(void) {
    switch (next() % 10) {
    case 0: return 0;
    case 1: return -1;
    case 2: return next() % 16;
    case 3: return next() % 4096;
    case 4: return (long)buffer;
    case 5: return (long)(buffer + 4096 * (next() % 8));
    case 6: return (long)"/tmp/fuzz";
    case 7: return (long)0xffff888000000000UL;
    case 8: return 1;
    default: return (long)next();
    }
}

static int denied(long nr) {
    switch (nr) {
    case SYS_exit: case SYS_exit_group: case SYS_execve: case SYS_execveat:
    case SYS_fork: case SYS_vfork: case SYS_clone: case SYS_clone3:
    case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo: case SYS_rt_tgsigqueueinfo:
    case SYS_rt_sigreturn: case SYS_arch_prctl: case SYS_munmap: case SYS_mprotect: case SYS_mremap:
    case SYS_brk: case SYS_madvise: case SYS_mmap: case SYS_pkey_mprotect: case SYS_shmdt:
    case SYS_seccomp: case SYS_set_tid_address: case SYS_rseq: case SYS_prctl:
    /* Calls whose whole purpose is to wait: they would only end the run early. */
    case SYS_nanosleep: case SYS_clock_nanosleep: case SYS_pause: case SYS_select: case SYS_pselect6:
    case SYS_poll: case SYS_ppoll: case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_futex:
    case SYS_wait4: case SYS_waitid: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait:
        return 1;
    default:
        return 0;
    }
}

int main(int argc, char **argv) {
    state = argc > 1 ? strtoull(argv[1], 0, 0) | 1 : 0x9e3779b97f4a7c15ULL;
    strcpy(buffer + 8192, "/tmp/fuzz-a");
    for (long i = 0; i < 20000; i++) {
        long nr = next() % 460;
        if (denied(nr)) continue;
        syscall(nr, arg(), arg(), arg(), arg(), arg(), arg());
    }
    return 0;
}
