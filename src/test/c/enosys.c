// System call numbers that Linux does not have fail with ENOSYS; the process goes on.
#include "jux_test.h"

int main(void) {
    SHOW_ERR(syscall(1000));
    SHOW_ERR(syscall(4000));
    SHOW_ERR(syscall(100000, 1, 2, 3));
    SHOW_ERR(syscall(-1));
    printf("still running\n");
    return 0;
}
