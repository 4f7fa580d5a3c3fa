// SSSE3 in both its 64-bit (MMX) and 128-bit forms over edge-case lanes: PSHUFB with control
// bytes whose top bit is set, horizontal adds/subtracts (wrapping and saturating), PMADDUBSW
// saturation, PMULHRSW rounding, PSIGN with zero/negative, PABS of the most negative lanes,
// and PALIGNR with shifts inside, at and beyond the operand width. Also SSE3's float ops.
#include "isa_vectors.h"

#define BOTH(n) PAIRS128(n, n); PAIRS64(n "/mm", n)

#define ALIGNR(k)                                                                            \
    for (unsigned i = 0; i < NVEC; i += 2)                                                   \
        for (unsigned j = 1; j < NVEC; j += 2) {                                             \
            v2di r = vec(i), b = vec(j);                                                     \
            uint64_t m = VEC[i][0], mb = VEC[j][1];                                           \
            __asm__("palignr $" #k ", %1, %0" : "+x"(r) : "x"(b));                           \
            __asm__("movq %0, %%mm0\n\tmovq %1, %%mm1\n\tpalignr $" #k ", %%mm1, %%mm0\n\t"  \
                    "movq %%mm0, %0\n\temms" : "+r"(m) : "r"(mb) : "mm0", "mm1");            \
            print128("palignr " #k, i, j, r);                                                \
            printf("palignr/mm " #k " %d %d %016llx\n", i, j, (unsigned long long)m);       \
        }

static const double D[] = {0.0, -0.0, 1.0, -1.5, 1e308, -1e308, 3e-320, 0.1, 1.0 / 0.0, -1.0 / 0.0};

static void sse3_float(void) {
    const int n = sizeof D / sizeof D[0];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double a[2] __attribute__((aligned(16))) = {D[i], D[j]}, b[2] __attribute__((aligned(16))) = {D[j], D[(i + j) % n]};
            float fa[4] __attribute__((aligned(16))) = {(float)D[i], (float)D[j], (float)D[(i + 3) % n], 3.0f};
            float fb[4] __attribute__((aligned(16))) = {(float)D[j], (float)D[i], 0.5f, (float)D[(i * j) % n]};
            v2di x, y, hp, hs, as, hps, hss, ass;
            memcpy(&x, a, 16); memcpy(&y, b, 16);
            hp = x; hs = x; as = x;
            __asm__("haddpd %1, %0" : "+x"(hp) : "x"(y));
            __asm__("hsubpd %1, %0" : "+x"(hs) : "x"(y));
            __asm__("addsubpd %1, %0" : "+x"(as) : "x"(y));
            print128("haddpd", i, j, hp); print128("hsubpd", i, j, hs); print128("addsubpd", i, j, as);
            memcpy(&x, fa, 16); memcpy(&y, fb, 16);
            hps = x; hss = x; ass = x;
            __asm__("haddps %1, %0" : "+x"(hps) : "x"(y));
            __asm__("hsubps %1, %0" : "+x"(hss) : "x"(y));
            __asm__("addsubps %1, %0" : "+x"(ass) : "x"(y));
            print128("haddps", i, j, hps); print128("hsubps", i, j, hss); print128("addsubps", i, j, ass);
        }
    double dd[2] __attribute__((aligned(16))) = {1.25, -7.5};
    v2di dup, lo, hi;
    __asm__("movddup %1, %0" : "=x"(dup) : "m"(dd[1]));
    __asm__("movsldup %1, %0" : "=x"(lo) : "x"(vec(5)));
    __asm__("movshdup %1, %0" : "=x"(hi) : "x"(vec(5)));
    print128("movddup", 0, 0, dup); print128("movsldup", 5, 5, lo); print128("movshdup", 5, 5, hi);
    v2di ld;
    __asm__("lddqu %1, %0" : "=x"(ld) : "m"(*(const char (*)[16])((const char *)VEC + 3)));
    print128("lddqu", 0, 3, ld);
    long double vals[] = {2.5L, -2.5L, 1e30L, -0.75L, 32767.9L, -32768.99L, 1e19L};
    for (int i = 0; i < 7; i++) {
        short s; int w; long long q;
        long double v = vals[i];
        __asm__("fldt %1\n\tfisttps %0" : "=m"(s) : "m"(v) : "st");
        __asm__("fldt %1\n\tfisttpl %0" : "=m"(w) : "m"(v) : "st");
        __asm__("fldt %1\n\tfisttpll %0" : "=m"(q) : "m"(v) : "st");
        printf("fisttp %d: %d %d %lld\n", i, s, w, q);
    }
}

int main(void) {
    BOTH("pshufb"); BOTH("phaddw"); BOTH("phaddd"); BOTH("phaddsw"); BOTH("phsubw"); BOTH("phsubd");
    BOTH("phsubsw"); BOTH("pmaddubsw"); BOTH("pmulhrsw"); BOTH("psignb"); BOTH("psignw"); BOTH("psignd");
    BOTH("pabsb"); BOTH("pabsw"); BOTH("pabsd");
    ALIGNR(0) ALIGNR(1) ALIGNR(7) ALIGNR(8) ALIGNR(9) ALIGNR(15) ALIGNR(16) ALIGNR(17) ALIGNR(31) ALIGNR(32) ALIGNR(255)
    sse3_float();
    return 0;
}
