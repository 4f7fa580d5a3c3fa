// A MAP_SHARED file mapping that is the file's only mapping, grown in place by mremap: its
// pages stay the file's (read(2) sees writes to the new part, munmap writes them back).
#include "jux_test.h"
#include <sys/mman.h>
int main(void) {
    int fd = memfd_create("g", 0);
    ftruncate(fd, 3 * 4096);
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    munmap(a + 4096, 2 * 4096);
    strcpy(a, "page 0");
    char *g = mremap(a, 4096, 3 * 4096, 0);
    printf("grown in place: %s\n", g == a ? "yes" : "no");
    strcpy(a + 4096, "page 1");
    char buf[16] = {0};
    pread(fd, buf, 6, 4096);
    printf("read(2) sees page 1 while mapped: %s\n", strcmp(buf, "page 1") == 0 ? "yes" : "no");
    munmap(a, 3 * 4096);
    pread(fd, buf, 6, 4096);
    printf("read(2) sees page 1 after munmap: %s\n", strcmp(buf, "page 1") == 0 ? "yes" : "no");
    pread(fd, buf, 6, 0);
    printf("read(2) sees page 0 after munmap: %s\n", strcmp(buf, "page 0") == 0 ? "yes" : "no");
    return 0;
}
