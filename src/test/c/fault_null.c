// Reading through a null pointer kills the process with SIGSEGV.
// expect-signal: SIGSEGV
#include "jux_test.h"

int main(void) {
    int *volatile p = NULL;  /* volatile: the compiler may not assume the read never happens */
    printf("reading *NULL\n");
    fflush(stdout);
    printf("%d\n", *p);
    return 0;
}
