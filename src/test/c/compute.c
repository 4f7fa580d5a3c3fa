// A compute-only program (no system calls in the loops): a prime sieve, integer hashing,
// floating point and string work. Any difference means registers or memory were corrupted.
#include "jux_test.h"
#include <stdint.h>
#include <stdlib.h>

#define LIMIT 5000000

int main(void) {
    unsigned char *composite = calloc(LIMIT + 1, 1);
    if (!composite) return 1;
    int primes = 0;
    uint64_t prime_sum = 0;
    for (uint64_t i = 2; i <= LIMIT; i++) {
        if (composite[i]) continue;
        primes++;
        prime_sum += i;
        for (uint64_t j = i * i; j <= LIMIT; j += i) composite[j] = 1;
    }
    printf("primes up to %d: %d, their sum %llu\n", LIMIT, primes, (unsigned long long)prime_sum);
    free(composite);

    uint64_t h = 1469598103934665603ULL;  /* FNV-1a over a stream of xorshift output */
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 50000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        h = (h ^ (x & 0xff)) * 1099511628211ULL;
    }
    printf("hash: %016llx\n", (unsigned long long)h);

    double pi = 0, harmonic = 0;
    for (int k = 0; k < 10000000; k++) {
        pi += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
        harmonic += 1.0 / (k + 1);
    }
    printf("pi ~ %.9f, H(1e7) ~ %.9f\n", pi, harmonic);

    char a[256], b[256];
    for (int i = 0; i < 255; i++) a[i] = (char)('a' + i % 26);
    a[255] = '\0';
    int same = 0;
    for (int i = 0; i < 100000; i++) {
        memcpy(b, a, sizeof a);
        b[i % 255] = 'A';
        same += strcmp(a, b) > 0;
        same += strlen(b) == 255;
    }
    printf("string checks: %d\n", same);
    return 0;
}
