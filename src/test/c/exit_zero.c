// exit(0) after buffered output: exit flushes stdio, then exit_group(0).
#include "jux_test.h"
#include <stdlib.h>

int main(void) {
    printf("before exit(0)\n");
    exit(0);
}
