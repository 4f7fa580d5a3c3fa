// The program break, with the raw brk syscall (musl's sbrk refuses to move it): growing maps
// zeroed memory, shrinking unmaps it, growing again gives fresh zero pages; a failing brk
// returns the old break; the break stays a page away from the next mapping.
#include "jux_test.h"
#include <stdint.h>
#include <sys/mman.h>

#define KIB 1024UL
#define PAGE 4096UL

static uintptr_t brk_call(uintptr_t addr) { return (uintptr_t)syscall(SYS_brk, addr); }

static int all_equal(const unsigned char *p, size_t n, unsigned char v) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

int main(void) {
    uintptr_t cur = brk_call(0);
    CHECK(cur != 0);
    CHECK(brk_call(0) == cur);
    uintptr_t base = (cur + PAGE - 1) & ~(PAGE - 1);

    CHECK(brk_call(base + 1024 * KIB) == base + 1024 * KIB);
    CHECK(brk_call(0) == base + 1024 * KIB);
    unsigned char *p = (unsigned char *)base;
    printf("new area is zero: %s\n", all_equal(p, 1024 * KIB, 0) ? "true" : "false");
    memset(p, 0xab, 1024 * KIB);
    CHECK(all_equal(p, 1024 * KIB, 0xab));

    CHECK(brk_call(base + 512 * KIB) == base + 512 * KIB);
    CHECK(brk_call(base + 1024 * KIB) == base + 1024 * KIB);
    printf("kept half still holds its data: %s\n", all_equal(p, 512 * KIB, 0xab) ? "true" : "false");
    printf("regrown half is zero again: %s\n", all_equal(p + 512 * KIB, 512 * KIB, 0) ? "true" : "false");

    /* An unaligned break is kept as given; the page holding it is usable. */
    CHECK(brk_call(base + 2048 * KIB + 123) == base + 2048 * KIB + 123);
    p[2048 * KIB + 123] = 1;
    p[2048 * KIB + PAGE - 1] = 2;
    CHECK(p[2048 * KIB + 123] + p[2048 * KIB + PAGE - 1] == 3);

    /* Below the start of the heap: refused, the break does not move. */
    CHECK(brk_call(1) == base + 2048 * KIB + 123);
    CHECK(brk_call(cur) == cur);
    CHECK(brk_call(0) == cur);

    /* Linux keeps one free page between the break and the next mapping. */
    uintptr_t wall = base + 64 * PAGE;
    CHECK(mmap((void *)wall, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == (void *)wall);
    printf("brk up to a mapping: %s\n", brk_call(wall) == wall ? "moved" : "refused");
    printf("brk into the page below it: %s\n", brk_call(wall - PAGE + 1) == wall - PAGE + 1 ? "moved" : "refused");
    printf("brk to the page below it: %s\n", brk_call(wall - PAGE) == wall - PAGE ? "moved" : "refused");
    CHECK(brk_call(cur) == cur);
    return 0;
}
