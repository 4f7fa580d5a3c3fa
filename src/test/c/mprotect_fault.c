// A write to a page made read-only by mprotect faults: SIGSEGV kills the process.
// expect-signal: SIGSEGV
#include "jux_test.h"
#include <sys/mman.h>

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    volatile char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    p[0] = 1;
    SHOW_ERR(mprotect((void *)p, 4096, PROT_READ));
    CHECK(p[0] == 1);
    printf("writing to the read-only page\n");
    p[0] = 2;
    printf("not reached\n");
    return 0;
}
