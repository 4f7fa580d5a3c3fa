// The largest exit status.
// expect-exit: 255
#include "jux_test.h"
#include <stdlib.h>

int main(void) {
    printf("calling exit(255)\n");
    exit(255);
}
