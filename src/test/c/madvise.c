// madvise(MADV_DONTNEED) on private anonymous memory: the mapping stays, its pages read as
// zeros afterwards. Over a range with holes Linux drops the mapped pages anyway and then
// fails with ENOMEM. Hint-only advice changes nothing; bad arguments fail as on Linux.
#include "jux_test.h"
#include <sys/mman.h>

#define PAGE 4096UL

static int all_equal(const unsigned char *p, size_t n, unsigned char v) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != v) return 0;
    return 1;
}

int main(void) {
    unsigned char *p = mmap(NULL, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memset(p, 0x11, 6 * PAGE);

    SHOW_ERR(madvise(p, 2 * PAGE, MADV_DONTNEED));
    printf("dropped pages read as zeros: %s\n", all_equal(p, 2 * PAGE, 0) ? "true" : "false");
    printf("the rest is untouched: %s\n", all_equal(p + 2 * PAGE, 4 * PAGE, 0x11) ? "true" : "false");
    p[0] = 1;
    printf("still mapped and writable: %s\n", p[0] == 1 ? "true" : "false");

    /* Holes at pages 2 and 4: pages 3 and 5 are dropped all the same. */
    SHOW_ERR(munmap(p + 2 * PAGE, PAGE));
    SHOW_ERR(munmap(p + 4 * PAGE, PAGE));
    SHOW_ERR(madvise(p + PAGE, 5 * PAGE, MADV_DONTNEED));
    printf("pages after the holes read as zeros: %s\n",
           all_equal(p + 3 * PAGE, PAGE, 0) && all_equal(p + 5 * PAGE, PAGE, 0) ? "true" : "false");
    printf("page before the range kept: %s\n", p[0] == 1 ? "true" : "false");

    SHOW_ERR(madvise(p, PAGE, MADV_WILLNEED));
    SHOW_ERR(madvise(p, 3 * PAGE, MADV_NORMAL));
    SHOW_ERR(madvise(p + 1, PAGE, MADV_DONTNEED));
    SHOW_ERR(madvise(p, 0, MADV_DONTNEED));
    SHOW_ERR(madvise(p, PAGE, 12345));
    SHOW_ERR(madvise(p + 2 * PAGE, PAGE, MADV_DONTNEED));
    return 0;
}
