// abort() raises SIGABRT (with tgkill, after unblocking it): the process dies with SIGABRT.
// expect-signal: SIGABRT
#include "jux_test.h"
#include <stdlib.h>

int main(void) {
    printf("calling abort\n");
    fflush(stdout);
    abort();
}
