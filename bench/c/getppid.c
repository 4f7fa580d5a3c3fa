/* Syscall round trip: N getppid() calls (N = argv[1]), timed inside the program so that
 * start-up is not counted, after N/4 untimed calls that warm up the kernel (Jux's JIT).
 * Prints "ns_per_call X". getppid does no work in any kernel, and libc never caches it, so
 * this is the cost of entering and leaving the kernel. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000;
    struct timespec a, b;
    for (long i = 0; i < n / 4; i++) syscall(SYS_getppid);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) syscall(SYS_getppid);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
    printf("ns_per_call %.1f\n", ns / (n > 0 ? n : 1));
    return 0;
}
