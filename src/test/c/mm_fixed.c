// mmap placement and flags: MAP_FIXED replaces, MAP_FIXED_NOREPLACE fails with EEXIST over any
// mapped page, MAP_POPULATE fills pages in, MAP_STACK and MAP_NORESERVE are accepted; munmap
// of the middle of a mapping splits it in two (as /proc/self/maps shows). (mremap.c covers
// MREMAP_DONTUNMAP.)
#include "jux_test.h"
#include <sys/mman.h>

#define PAGE 4096UL

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* True if a line of /proc/self/maps starts (start != 0) or ends at addr. */
static int area_edge(char *addr, int start) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long s, e;
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx", &s, &e) == 2 && (start ? s : e) == (unsigned long) addr) found = 1;
    }
    fclose(f);
    return found;
}

static int resident(void *p, size_t pages) {
    unsigned char vec[16];
    if (mincore(p, pages * PAGE, vec) != 0) return -1;
    int n = 0;
    for (size_t i = 0; i < pages; i++) n += vec[i] & 1;
    return n;
}

int main(void) {
    /* PROT_EXEC too, so that Linux does not merge the area with a neighbour (malloc's). */
    char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    memset(p, 'a', 8 * PAGE);

    void *r = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("FIXED_NOREPLACE over a mapped page: %s\n", r == MAP_FAILED ? errname(errno) : "mapped");
    r = mmap(p + 7 * PAGE, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("FIXED_NOREPLACE overlapping the end: %s\n", r == MAP_FAILED ? errname(errno) : "mapped");
    printf("the pages are untouched: %s\n", p[2 * PAGE] == 'a' && p[7 * PAGE] == 'a' ? "yes" : "no");
    r = mmap(p + PAGE + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("FIXED_NOREPLACE unaligned: %s\n", r == MAP_FAILED ? errname(errno) : "mapped");

    r = mmap(p + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED replaces: %s, reads zero: %s\n", r == p + 3 * PAGE ? "yes" : "no", p[3 * PAGE] == 0 ? "yes" : "no");

    /* munmap in the middle splits the area. */
    SHOW_ERR(munmap(p + 5 * PAGE, PAGE));
    printf("an area ends at page 5: %s, one starts at page 6: %s\n", area_edge(p + 5 * PAGE, 0) ? "yes" : "no",
           area_edge(p + 6 * PAGE, 1) ? "yes" : "no");
    printf("both halves still there: %s\n", p[4 * PAGE] == 'a' && p[6 * PAGE] == 'a' ? "yes" : "no");
    SHOW_ERR(munmap(p, 0));
    SHOW_ERR(munmap(p + 1, PAGE));
    SHOW_ERR(munmap(p + 5 * PAGE, PAGE));               /* already a hole: fine */
    r = mmap(p + 5 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("FIXED_NOREPLACE into the hole: %s\n", r == p + 5 * PAGE ? "at the address" : r == MAP_FAILED ? errname(errno) : "elsewhere");

    /* MAP_POPULATE, MAP_STACK, MAP_NORESERVE. */
    char *pop = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    printf("MAP_POPULATE resident pages: %d\n", resident(pop, 4));
    char *lazy = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("without it: %d\n", resident(lazy, 4));
    char *stk = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    printf("MAP_STACK: %s\n", stk == MAP_FAILED ? errname(errno) : "mapped");
    stk[0] = 1;
    char *nr = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    printf("MAP_NORESERVE: %s\n", nr == MAP_FAILED ? errname(errno) : "mapped");
    nr[0] = 1;

    return 0;
}
