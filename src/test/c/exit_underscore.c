// _exit skips atexit handlers and stdio flushing: what stdio still buffers is lost. (stdout is
// a file, so after its first flush both glibc and musl buffer it fully.)
// expect-exit: 7
#include "jux_test.h"
#include <stdlib.h>

static void handler(void) { printf("atexit handler: must not run\n"); }

int main(void) {
    atexit(handler);
    printf("flushed\n");
    fflush(stdout);
    printf("still buffered: lost at _exit\n");
    write(1, "written directly\n", 17);
    _exit(7);
}
