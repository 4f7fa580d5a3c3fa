// Large allocations take malloc's mmap path (and realloc's mremap path): 64 MiB is mapped,
// every page written and checked, grown to 128 MiB keeping its contents, then freed; calloc's
// fresh memory must read as zero.
#include "jux_test.h"
#include <stdint.h>
#include <stdlib.h>

#define MIB (1024UL * 1024)
#define PAGE 4096UL

static uint64_t fill_and_sum(unsigned char *p, size_t n, unsigned seed) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i += PAGE) {
        unsigned char v = (unsigned char)((i / PAGE) * 31 + seed);
        p[i] = v;
        p[i + PAGE - 1] = (unsigned char)(v ^ 0x5a);
    }
    for (size_t i = 0; i < n; i += PAGE) sum = sum * 1000003 + p[i] + p[i + PAGE - 1];
    return sum;
}

static uint64_t sum_of(const unsigned char *p, size_t n) {
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i += PAGE) sum = sum * 1000003 + p[i] + p[i + PAGE - 1];
    return sum;
}

int main(void) {
    size_t n = 64 * MIB;
    unsigned char *p = malloc(n);
    CHECK(p != NULL);
    if (!p) return 1;
    uint64_t sum = fill_and_sum(p, n, 7);
    printf("checksum of 64 MiB: %llu\n", (unsigned long long)sum);

    unsigned char *q = realloc(p, 2 * n);
    CHECK(q != NULL);
    if (!q) return 1;
    CHECK(sum_of(q, n) == sum);
    printf("checksum of the new 64 MiB: %llu\n", (unsigned long long)fill_and_sum(q + n, n, 11));
    free(q);

    for (int round = 0; round < 3; round++) {
        unsigned char *z = calloc(n, 1);
        CHECK(z != NULL);
        if (!z) return 1;
        int zero = 1;
        for (size_t i = 0; i < n; i += PAGE / 2) zero &= z[i] == 0;
        printf("round %d: calloc'd memory is zero: %s\n", round, zero ? "true" : "false");
        fill_and_sum(z, n, round);
        free(z);
    }
    return 0;
}
