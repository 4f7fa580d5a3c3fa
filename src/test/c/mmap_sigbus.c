// A page of a file mapping wholly past the end of the file gives SIGBUS; the rest of the
// last page reads as zeros. (si_code BUS_ADRERR and si_addr: checked once handlers run.)
// expect-signal: SIGBUS
#include "fs_scratch.h"
#include <sys/mman.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    int fd = open("small", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello", 5);
    volatile char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    scratch_leave();
    CHECK(p[0] == 'h' && p[4] == 'o' && p[5] == 0 && p[4095] == 0);
    p[4095] = 1;
    printf("reading past the end\n");
    (void)p[4096 + 8];
    printf("not reached\n");
    return 0;
}
