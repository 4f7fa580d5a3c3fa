// mprotect on anonymous memory: read-only keeps the data readable, PROT_NONE and back keeps
// it too, back to read-write makes it writable; bad arguments fail as on Linux, and a range
// with a hole changes the pages before the hole anyway.
#include "jux_test.h"
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096UL

int main(void) {
    unsigned char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    for (size_t i = 0; i < 4 * PAGE; i++) p[i] = (unsigned char)(i * 7);

    SHOW_ERR(mprotect(p + PAGE, PAGE, PROT_READ));
    volatile unsigned char *v = p;
    CHECK(v[PAGE + 5] == (unsigned char)((PAGE + 5) * 7));
    SHOW_ERR(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE));
    v[PAGE + 5] = 99;
    CHECK(v[PAGE + 5] == 99);

    SHOW_ERR(mprotect(p + 2 * PAGE, PAGE, PROT_NONE));
    SHOW_ERR(mprotect(p + 2 * PAGE, PAGE, PROT_READ));
    CHECK(v[2 * PAGE + 9] == (unsigned char)((2 * PAGE + 9) * 7));
    SHOW_ERR(mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE));
    v[2 * PAGE + 9] = 1;
    CHECK(v[2 * PAGE + 9] == 1);

    /* Errors: unaligned start, unknown protection bits, a range with a hole. Zero length
     * is a no-op that succeeds; an unaligned length is rounded up. */
    SHOW_ERR(mprotect(p + 1, PAGE, PROT_READ));
    SHOW_ERR(mprotect(p, PAGE, 0x1000));
    SHOW_ERR(mprotect(p, 0, PROT_READ));
    SHOW_ERR(mprotect(p + 3 * PAGE, 100, PROT_READ | PROT_WRITE));
    SHOW_ERR(munmap(p + 3 * PAGE, PAGE));
    SHOW_ERR(mprotect(p + 3 * PAGE, PAGE, PROT_READ));
    SHOW_ERR(mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ));
    /* Linux still changed the page before the hole: the kernel cannot write into it now. */
    SHOW_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p + 2 * PAGE));

    /* The data survived all of it. */
    uint64_t sum = 0;
    for (size_t i = 0; i < 3 * PAGE; i++) sum = sum * 31 + v[i];
    printf("checksum: %llu\n", (unsigned long long)sum);
    SHOW_ERR(munmap(p, 3 * PAGE));
    return 0;
}
