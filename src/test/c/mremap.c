// Remapping: mremap shrinking and growing in place, moving (MAYMOVE) with the data, MREMAP_FIXED,
// MREMAP_DONTUNMAP, file mappings keeping their offsets; mincore; and the errors of both.
#include "fs_scratch.h"
#include <sys/mman.h>

#define PG 4096

static void *area(size_t pages) {
    return mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/*
 * Prints mincore's answer for the pages the program touched only: Jux fills pages in around
 * each fault (fault-around), so untouched neighbours may be resident under Jux and not natively.
 */
static void show_core(void *p, size_t pages, const char *touched) {
    unsigned char vec[16];
    if (mincore(p, pages * PG, vec) != 0) {
        printf("mincore: %s\n", errname(errno));
        return;
    }
    printf("mincore of touched pages:");
    for (size_t i = 0; i < pages; i++) {
        if (touched[i] == '1') printf(" %d", vec[i] & 1);
    }
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);

    printf("-- shrink and grow in place\n");
    char *r = area(8);
    munmap(r + 4 * PG, 4 * PG);            // room after the first 4 pages
    char *p = r;
    strcpy(p, "hello");
    p[3 * PG] = 'x';
    char *q = mremap(p, 4 * PG, 2 * PG, 0);
    CHECK(q == p);
    q = mremap(p, 2 * PG, 4 * PG, 0);
    CHECK(q == p && strcmp(p, "hello") == 0 && p[3 * PG] == 0);
    p[3 * PG] = 'y';

    printf("-- cannot grow in place\n");
    char *blocker = mmap(p + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(blocker == p + 4 * PG);
    SHOW_ERR(mremap(p, 4 * PG, 6 * PG, 0));
    q = mremap(p, 4 * PG, 6 * PG, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED && q != p);
    CHECK(strcmp(q, "hello") == 0 && q[3 * PG] == 'y' && q[5 * PG] == 0);
    show_core(q, 6, "100101");
    unsigned char v;
    SHOW_ERR(mincore(p, PG, &v));
    munmap(blocker, PG);

    printf("-- MREMAP_FIXED\n");
    char *dst = area(4);
    munmap(dst, 4 * PG);
    char *f = mremap(q, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
    CHECK(f == dst && strcmp(f, "hello") == 0);
    SHOW_ERR(mremap(q + 2 * PG, PG, PG, MREMAP_FIXED, dst));
    SHOW_ERR(mremap(q + 2 * PG, PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, q + 3 * PG));
    munmap(f, 2 * PG);
    munmap(q + 2 * PG, 4 * PG);

    printf("-- MREMAP_DONTUNMAP\n");
    // (Without MREMAP_FIXED, Linux 6.18 answers EINVAL here: only the FIXED form is compared.)
    p = area(2);
    strcpy(p, "kept");
    dst = area(2);
    q = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, dst);
    CHECK(q == dst && strcmp(q, "kept") == 0);
    CHECK(p[0] == 0);
    SHOW_ERR(mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP));
    SHOW_ERR(mremap(p, 2 * PG, 2 * PG, MREMAP_DONTUNMAP));
    munmap(p, 2 * PG);
    munmap(q, 2 * PG);

    printf("-- a file mapping moves with its offset\n");
    scratch_enter();
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[PG];
    for (int i = 0; i < 4; i++) {
        memset(buf, 'A' + i, PG);
        write(fd, buf, PG);
    }
    p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, PG);
    blocker = mmap(p + 2 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    q = mremap(p, 2 * PG, 3 * PG, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED && q[0] == 'B' && q[PG] == 'C' && q[2 * PG] == 'D');
    munmap(q, 3 * PG);
    munmap(blocker, PG);
    close(fd);
    scratch_leave();

    printf("-- old_size 0: a second mapping of shared pages\n");
    p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    q = mremap(p + PG, 0, PG, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED && q != p + PG);
    q[0] = 'x';
    CHECK(p[PG] == 'x');
    SHOW_ERR(mremap(p, 0, PG, 0));
    munmap(p, 2 * PG);
    CHECK(q[0] == 'x');
    munmap(q, PG);

    printf("-- errors\n");
    p = area(2);
    SHOW_ERR(mremap(p + 1, PG, PG, 0));
    SHOW_ERR(mremap(p, PG, 0, 0));
    SHOW_ERR(mremap(p, PG, PG, 0x80));
    SHOW_ERR(mremap(p, 0, PG, MREMAP_MAYMOVE));
    SHOW_ERR(mremap(p, 4 * PG, 8 * PG, MREMAP_MAYMOVE));
    munmap(p + PG, PG);
    SHOW_ERR(mremap(p + PG, PG, 2 * PG, MREMAP_MAYMOVE));
    SHOW_RET(mremap(p, PG, PG, 0) == p);
    SHOW_ERR(mincore(p + 1, PG, &v));
    SHOW_ERR(mincore(p, 2 * PG, &v));
    SHOW_ERR(mincore(p, PG, NULL));
    SHOW_ERR(mincore(p, PG, (unsigned char *)-4096L));
    SHOW_ERR(mincore(p, 0, NULL));
    p[0] = 1;
    show_core(p, 1, "1");
    munmap(p, PG);
    return 0;
}
