// exit(3) runs atexit handlers (in reverse order) and flushes stdio before exit_group(3).
// expect-exit: 3
#include "jux_test.h"
#include <stdlib.h>

static void first(void) { printf("atexit handler registered first\n"); }
static void second(void) { printf("atexit handler registered second\n"); }

int main(void) {
    atexit(first);
    atexit(second);
    printf("calling exit(3)\n");
    exit(3);
}
