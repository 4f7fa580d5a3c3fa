/* Compute benchmark: the sieve of Eratosthenes up to N (argv[1], default 100,000,000), one
 * byte per odd number. Prints "seconds X" (timed inside the program) and "primes P", the
 * number of primes <= N (5,761,455 for 10^8), the same natively, under Jux and under qemu. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000000;
    if (n < 2) { printf("seconds 0\nprimes 0\n"); return 0; }
    long odds = (n - 1) / 2; /* composite[i] is 2i+3 */
    char *composite = malloc(odds + 1);
    if (!composite) { perror("malloc"); return 1; }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(composite, 0, odds + 1);
    for (long i = 0; i < odds; i++) {
        long p = 2 * i + 3;
        if (p * p > n) break;
        if (composite[i]) continue;
        for (long j = (p * p - 3) / 2; j < odds; j += p) composite[j] = 1;
    }
    long primes = 1; /* 2 */
    for (long i = 0; i < odds; i++) primes += !composite[i];
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("seconds %.4f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("primes %ld\n", primes);
    free(composite);
    return 0;
}
