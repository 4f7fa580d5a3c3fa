#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    char buf[64];
    snprintf(buf, sizeof buf, "fib(20) = %d", fib(20));
    printf("hello from gcc -O2: %s, %zu chars, argc %d\n", buf, strlen(buf), argc);
    return argc > 1 ? atoi(argv[1]) : 0;
}
