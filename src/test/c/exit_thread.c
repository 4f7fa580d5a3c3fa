// exit(2) (not exit_group) from the only thread ends the process with that status.
// expect-exit: 9
#include "jux_test.h"

int main(void) {
    printf("calling the exit syscall with 9\n");
    fflush(stdout);
    syscall(SYS_exit, 9);
    return 1;
}
