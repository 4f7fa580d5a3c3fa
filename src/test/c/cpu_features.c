// The guest sees the CPU features a native run sees, so libc picks the same string functions
// (ifuncs): the XSAVE state components the OS enabled (XCR0) and the instruction sets that
// need them (AVX, AVX2, AVX-512).
#include "jux_test.h"
#include <stdint.h>
#include <cpuid.h>

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

int main(void) {
    unsigned a, b, c, d;
    __cpuid(1, a, b, c, d);
    int osxsave = (c >> 27) & 1;
    printf("OSXSAVE: %d\n", osxsave);
    if (osxsave) printf("XCR0 x87/SSE/AVX/AVX-512 bits: %#llx\n", (unsigned long long)(xgetbv0() & 0xe7));
    printf("sse4.2 %d popcnt %d aes %d\n", (c >> 20) & 1, (c >> 23) & 1, (c >> 25) & 1);
    __cpuid_count(7, 0, a, b, c, d);
    printf("bmi1 %d avx2 %d bmi2 %d erms %d avx512f %d avx512bw %d\n",
           (b >> 3) & 1, (b >> 5) & 1, (b >> 8) & 1, (b >> 9) & 1, (b >> 16) & 1, (b >> 30) & 1);
#ifdef __GLIBC__
    __builtin_cpu_init();
    printf("gcc sees avx %d avx2 %d avx512f %d\n", __builtin_cpu_supports("avx") != 0,
           __builtin_cpu_supports("avx2") != 0, __builtin_cpu_supports("avx512f") != 0);
#endif
    return 0;
}
