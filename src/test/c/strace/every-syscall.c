/*
 * Differential test helper for the strace formatter (StraceDifferentialTest).
 *
 * Usage: every-syscall A0 A1 A2 A3 A4 A5 ERRNO
 *
 * Maps a known 8 KiB pattern at 0x100000, installs a seccomp filter that answers every system
 * call except exit_group with -ERRNO (0: "success") without running it, then makes every
 * x86-64 system call with the six given argument values. Run under strace: ptrace reports the
 * call before seccomp refuses it, so strace prints how it decodes each number with these
 * arguments, reading the pattern for pointers into it. The Java side rebuilds the same pattern
 * and must print the same lines.
 *
 * Pattern: page 1 holds 64-bit words pointing into page 2 (0x101000 + (k*24) % 4000), with
 * zero words at indexes 40 and 300; page 2 holds text with a NUL every 29 bytes.
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 8) return 2;
    long a[6];
    for (int i = 0; i < 6; i++) a[i] = strtoul(argv[1 + i], 0, 0);
    int err = atoi(argv[7]);
    unsigned char *m = mmap((void *)0x100000, 8192, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (m != (void *)0x100000) return 3;
    long *w = (long *)m;
    for (int k = 0; k < 512; k++) w[k] = 0x101000 + (k * 24) % 4000;
    w[40] = 0;
    w[300] = 0;
    for (int i = 0; i < 4096; i++) {
        int c = i % 29;
        m[4096 + i] = c == 28 ? 0 : c == 27 ? '\n' : c == 26 ? 0x7f : 'a' + (i * 7) % 26;
    }
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA)),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) return 4;
    /* 335..423 are unassigned on x86-64 (and some hypervisors claim them: skip). */
    for (int nr = 0; nr <= 450; nr++) {
        if (nr != SYS_exit_group && (nr < 335 || nr > 423)) syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    syscall(SYS_exit_group, 0);
    return 0;
}
