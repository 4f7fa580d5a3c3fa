// File-backed mmap: private mappings read the file and keep their writes to themselves,
// offsets, the zeroed tail of the last page, mprotect, partial munmap and MAP_FIXED over a
// file mapping (the pieces keep their file offsets), shared mappings written back by msync
// and munmap, /dev/zero, /proc/self/maps fields, and the errors of mmap and msync.
#include "fs_scratch.h"
#include <sys/mman.h>
#include <sys/sysmacros.h>

#define PG 4096

static int make_file(const char *name, int pages, int tail) {
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[PG];
    for (int i = 0; i < pages; i++) {
        memset(buf, 'A' + i, PG);
        if (write(fd, buf, PG) != PG) printf("short write\n");
    }
    memset(buf, 'a', tail);
    if (tail && write(fd, buf, tail) != tail) printf("short write\n");
    return fd;
}

static char file_byte(int fd, off_t at) {
    char c = '?';
    if (pread(fd, &c, 1, at) != 1) return '!';
    return c;
}

/* Prints the stable fields of the /proc/self/maps line that starts at p. */
static void show_maps_line(void *p, int fd) {
    char want[32], line[512];
    snprintf(want, sizeof want, "%lx-", (unsigned long)p);
    FILE *f = fopen("/proc/self/maps", "r");
    struct stat st;
    fstat(fd, &st);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, want, strlen(want)) != 0) continue;
        char perms[8], path[256] = "";
        unsigned long start, end, off, ino;
        unsigned maj, min;
        sscanf(line, "%lx-%lx %7s %lx %x:%x %lu %255s", &start, &end, perms, &off, &maj, &min, &ino, path);
        printf("maps: pages %lu perms %s offset %lx\n", (end - start) / PG, perms, off);
        printf("maps: device matches: %s, inode matches: %s\n",
               maj == major(st.st_dev) && min == minor(st.st_dev) ? "yes" : "no", ino == st.st_ino ? "yes" : "no");
        const char *slash = strrchr(path, '/');
        printf("maps: name %s, absolute: %s\n", slash ? slash + 1 : "(none)", path[0] == '/' ? "yes" : "no");
        fclose(f);
        return;
    }
    printf("maps: no line for the mapping\n");
    fclose(f);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    int fd = make_file("data", 3, 100);

    printf("-- private read\n");
    char *p = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(p != MAP_FAILED);
    CHECK(p[0] == 'A' && p[PG] == 'B' && p[2 * PG + 4095] == 'C');
    CHECK(p[3 * PG] == 'a' && p[3 * PG + 99] == 'a');
    CHECK(p[3 * PG + 100] == 0 && p[3 * PG + 4095] == 0);
    show_maps_line(p, fd);
    munmap(p, 4 * PG);

    printf("-- offset\n");
    p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 2 * PG);
    CHECK(p[0] == 'C');
    show_maps_line(p, fd);
    munmap(p, PG);

    printf("-- private write\n");
    p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    p[0] = 'z';
    p[PG + 5] = 'y';
    CHECK(p[0] == 'z' && p[1] == 'A' && p[PG + 5] == 'y');
    CHECK(file_byte(fd, 0) == 'A' && file_byte(fd, PG + 5) == 'B');
    char *q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(q[0] == 'A');
    munmap(q, PG);
    munmap(p, 2 * PG);

    printf("-- the mapping outlives the fd\n");
    int fd2 = open("data", O_RDONLY);
    p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd2, PG);
    close(fd2);
    CHECK(p[10] == 'B');
    munmap(p, PG);

    printf("-- mprotect\n");
    p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    SHOW_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE));
    p[1] = 'w';
    CHECK(p[0] == 'A' && p[1] == 'w' && file_byte(fd, 1) == 'A');
    SHOW_ERR(mprotect(p, 2 * PG, PROT_NONE));
    SHOW_ERR(mprotect(p, 2 * PG, PROT_READ | PROT_EXEC));
    CHECK(p[1] == 'w' && p[PG] == 'B');
    show_maps_line(p + PG, fd);
    munmap(p, 2 * PG);

    printf("-- partial munmap and MAP_FIXED keep offsets\n");
    p = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    SHOW_ERR(munmap(p + PG, PG));
    CHECK(p[0] == 'A' && p[2 * PG] == 'C');
    show_maps_line(p, fd);
    show_maps_line(p + 2 * PG, fd);
    q = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 2 * PG);
    CHECK(q == p + PG && q[0] == 'C');
    q = mmap(p, PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 3 * PG);
    CHECK(q == p && p[0] == 'a' && p[2 * PG] == 'C');
    show_maps_line(p, fd);
    munmap(p, 3 * PG);

    printf("-- shared\n");
    p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    q = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    CHECK(p != MAP_FAILED && q != MAP_FAILED);
    p[PG + 1] = 's';
    CHECK(q[1] == 's');
    q[2] = 't';
    CHECK(p[PG + 2] == 't');
    SHOW_ERR(msync(p, 2 * PG, MS_SYNC));
    CHECK(file_byte(fd, PG + 1) == 's' && file_byte(fd, PG + 2) == 't');
    p[3] = 'u';
    SHOW_ERR(msync(p, PG, MS_ASYNC));
    CHECK(file_byte(fd, 3) == 'u');
    p[5] = 'r';
    CHECK(file_byte(fd, 5) == 'r');          // read(2) sees a mapping's writes at once
    SHOW_ERR(pwrite(fd, "w", 1, PG + 6));
    CHECK(p[PG + 6] == 'w' && q[6] == 'w');  // and mappings see write(2) at once
    char *pr = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(pr[5] == 'r');                     // a private mapping's first read sees it too
    munmap(pr, PG);
    q[4] = 'v';
    munmap(q, PG);
    CHECK(file_byte(fd, PG + 4) == 'v' && p[PG + 4] == 'v');
    show_maps_line(p, fd);
    munmap(p, 2 * PG);
    printf("-- shared tail page is not written past the end\n");
    p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 3 * PG);
    p[99] = 'T';
    p[200] = 'X';
    munmap(p, PG);
    struct stat st;
    fstat(fd, &st);
    printf("size %ld, last byte %c\n", (long)st.st_size, file_byte(fd, 3 * PG + 99));

    printf("-- /dev/zero\n");
    int zfd = open("/dev/zero", O_RDWR);
    p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, zfd, 0);
    CHECK(p != MAP_FAILED && p[0] == 0);
    p[0] = 1;
    CHECK(p[0] == 1);
    munmap(p, PG);
    close(zfd);

    printf("-- mmap errors\n");
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0));
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0));
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100));
    SHOW_ERR(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0));
    SHOW_ERR(mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L));
    int wo = open("data", O_WRONLY);
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, wo, 0));
    SHOW_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, wo, 0));
    close(wo);
    int ro = open("data", O_RDONLY);
    SHOW_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
    p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
    CHECK(p != MAP_FAILED);
    munmap(p, PG);
    p = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
    CHECK(p != MAP_FAILED);
    SHOW_ERR(mprotect(p, PG, PROT_READ | PROT_WRITE));
    SHOW_ERR(mprotect(p, PG, PROT_READ | PROT_EXEC));
    munmap(p, PG);
    close(ro);
    int pfd[2];
    pipe(pfd);
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[0], 0));
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pfd[1], 0));
    close(pfd[0]);
    close(pfd[1]);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0));
    close(dfd);
    int pathfd = open("data", O_PATH);
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, pathfd, 0));
    close(pathfd);
    int nullfd = open("/dev/null", O_RDWR);
    SHOW_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, nullfd, 0));
    close(nullfd);

    printf("-- msync errors\n");
    p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    SHOW_ERR(msync(p, PG, MS_SYNC | MS_ASYNC));
    SHOW_ERR(msync(p, PG, 0x100));
    SHOW_ERR(msync(p + 1, PG, MS_SYNC));
    SHOW_ERR(msync(p, 0, MS_SYNC));
    SHOW_ERR(msync(p, 2 * PG, MS_SYNC));
    SHOW_ERR(msync(p, 2 * PG, 0));
    munmap(p + PG, PG);
    SHOW_ERR(msync(p, 2 * PG, MS_SYNC));
    munmap(p, PG);

    close(fd);
    scratch_leave();
    return 0;
}
