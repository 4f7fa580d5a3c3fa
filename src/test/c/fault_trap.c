// __builtin_trap is ud2, an invalid opcode (#UD): the process dies with SIGILL.
// expect-signal: SIGILL
#include "jux_test.h"

int main(void) {
    printf("executing ud2\n");
    fflush(stdout);
    __builtin_trap();
}
