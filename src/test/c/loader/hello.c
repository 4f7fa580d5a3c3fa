/* A minimal program for the loader tests to parse (built static, static-pie, musl, PIE). */
#include <stdio.h>

int main(void) {
    puts("hello");
    return 0;
}
