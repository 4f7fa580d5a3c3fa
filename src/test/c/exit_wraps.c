// Only the low 8 bits of the status reach the parent: exit_group(0x1234) is seen as 0x34 = 52.
// expect-exit: 52
#include "jux_test.h"

int main(void) {
    printf("calling exit_group(0x1234)\n");
    fflush(stdout);
    syscall(SYS_exit_group, 0x1234);
    return 1;
}
