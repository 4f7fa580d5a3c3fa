// Integer division by zero (the #DE exception) kills the process with SIGFPE.
// expect-signal: SIGFPE
#include "jux_test.h"

int main(void) {
    volatile int a = 7, b = 0;  /* volatile: no constant folding of the division */
    printf("dividing by zero\n");
    fflush(stdout);
    printf("%d\n", a / b);
    return 0;
}
