// munmap of anonymous memory: unmapping the middle of a mapping keeps both ends and their
// data; holes in the range are fine; a bad start, a zero length or a range outside user
// space is EINVAL. Raw syscalls for the bad ranges, because libc may look at them itself.
#include "jux_test.h"
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096UL

int main(void) {
    unsigned char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memset(p, 0x5a, 4 * PAGE);

    SHOW_ERR(munmap(p + PAGE, PAGE));
    printf("both ends kept their data: %s\n", p[0] == 0x5a && p[2 * PAGE] == 0x5a && p[4 * PAGE - 1] == 0x5a ? "true" : "false");
    /* The unmapped page is gone: the kernel cannot copy into it. */
    SHOW_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p + PAGE));
    /* A range across the hole, and one that is all hole. */
    SHOW_ERR(munmap(p, 3 * PAGE));
    SHOW_ERR(munmap(p, 3 * PAGE));

    SHOW_ERR(syscall(SYS_munmap, p + 3 * PAGE + 1, PAGE));
    SHOW_ERR(syscall(SYS_munmap, p + 3 * PAGE, 0));
    SHOW_ERR(syscall(SYS_munmap, 0xffffff8000000000UL, PAGE));
    SHOW_ERR(syscall(SYS_munmap, 0xffff888000000000UL, PAGE));
    SHOW_ERR(syscall(SYS_munmap, 0x7ffffffff000UL, PAGE));
    SHOW_ERR(syscall(SYS_munmap, 0x7fffffffe000UL, 2 * PAGE));
    SHOW_ERR(syscall(SYS_munmap, p + 3 * PAGE, -PAGE));
    SHOW_ERR(munmap(p + 3 * PAGE, PAGE));
    return 0;
}
