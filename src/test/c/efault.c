// Bad user pointers make system calls fail with EFAULT instead of crashing the process (or
// the kernel): a tiny address, NULL, a page that was just unmapped, and kernel-half and
// non-canonical addresses. Raw syscalls, because libc may look at the pointer itself.
#include "jux_test.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

int main(void) {
    int fds[2];
    SHOW_ERR(pipe(fds));
    char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW_ERR(munmap(gone, 4096));
    void *bad[] = {(void *)1, NULL, gone, (void *)0xffff888000000000UL, (void *)0x0000800000000000UL,
                   (void *)0xffffffff81000000UL, (void *)0xffffff8000001000UL};
    const char *names[] = {"(void *)1", "NULL", "an unmapped page", "the kernel half",
                           "a non-canonical address", "the kernel text",
                           "the top 512 GiB (Jux's descriptor tables)"};

    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        printf("-- %s\n", names[i]);
        SHOW_ERR(syscall(SYS_write, fds[1], bad[i], 16));
        SHOW_RET(syscall(SYS_write, fds[1], "0123456789abcdef", 16));
        SHOW_ERR(syscall(SYS_read, fds[0], bad[i], 16));
        char buf[17] = {0};
        SHOW_RET(syscall(SYS_read, fds[0], buf, 16));
        printf("the data is still in the pipe: %s\n", strcmp(buf, "0123456789abcdef") == 0 ? "true" : "false");
        SHOW_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, bad[i]));
        SHOW_ERR(syscall(SYS_uname, bad[i]));
        SHOW_ERR(syscall(SYS_openat, AT_FDCWD, bad[i], 0));
        SHOW_ERR(syscall(SYS_pipe2, bad[i], 0));
    }

    /* A zero-length write with a bad pointer touches no memory and succeeds. */
    SHOW_RET(syscall(SYS_write, fds[1], (void *)1, 0));

    /* A read into a read-only page faults too. */
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW_RET(syscall(SYS_write, fds[1], "xyz", 3));
    SHOW_ERR(syscall(SYS_read, fds[0], ro, 3));
    return 0;
}
