/*
 * Shared by the isa_*.c instruction tests: 128-bit test vectors with lanes at their edges
 * (0, -1, 0x80.., 0x7f.., mixed bytes, shuffle control bytes with the top bit set) and
 * helpers to run one instruction over every pair and print the results in hex. The programs
 * use inline assembly, so they need no -m flags, and print the same natively and under Jux.
 */
#ifndef ISA_VECTORS_H
#define ISA_VECTORS_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef long long v2di __attribute__((vector_size(16)));

static const uint64_t VEC[][2] = {
    {0, 0},
    {~0ULL, ~0ULL},
    {0x8080808080808080ULL, 0x7f7f7f7f7f7f7f7fULL},
    {0x8000800080008000ULL, 0x7fff7fff7fff7fffULL},
    {0x800000007fffffffULL, 0x00000001fffffffeULL},
    {0x0123456789abcdefULL, 0xfedcba9876543210ULL},
    {0x00ffff000102fefdULL, 0x80017ffe4000c000ULL},
    {0x0f0e0d0c8b0a0908ULL, 0x07868504030201f0ULL},
    {1, 0x8000000000000000ULL},
};
#define NVEC (sizeof VEC / sizeof VEC[0])

static inline v2di vec(int i) {
    v2di v;
    memcpy(&v, VEC[i], 16);
    return v;
}

static inline void print128(const char *name, int i, int j, v2di r) {
    uint64_t q[2];
    memcpy(q, &r, 16);
    printf("%s %d %d %016llx%016llx\n", name, i, j, (unsigned long long)q[1], (unsigned long long)q[0]);
}

/* r = a; INSN b, r over every pair of vectors (AT&T: "insn %1, %0"). */
#define PAIRS128(name, insn)                                                           \
    do {                                                                               \
        for (unsigned i_ = 0; i_ < NVEC; i_++)                                         \
            for (unsigned j_ = 0; j_ < NVEC; j_++) {                                   \
                v2di r_ = vec(i_), b_ = vec(j_);                                       \
                __asm__(insn " %1, %0" : "+x"(r_) : "x"(b_));                          \
                print128(name, i_, j_, r_);                                            \
            }                                                                          \
    } while (0)

/* The MMX form: mm0 = low half of a; INSN mm1 (low half of b), mm0; then EMMS. */
#define PAIRS64(name, insn)                                                            \
    do {                                                                               \
        for (unsigned i_ = 0; i_ < NVEC; i_++)                                         \
            for (unsigned j_ = 0; j_ < NVEC; j_++) {                                   \
                uint64_t r_ = VEC[i_][0], b_ = VEC[j_][0] ^ VEC[i_][1];                 \
                __asm__("movq %0, %%mm0\n\tmovq %1, %%mm1\n\t" insn " %%mm1, %%mm0\n\t" \
                        "movq %%mm0, %0\n\temms"                                       \
                        : "+r"(r_) : "r"(b_) : "mm0", "mm1");                          \
                printf("%s %d %d %016llx\n", name, i_, j_, (unsigned long long)r_);     \
            }                                                                          \
    } while (0)

#define REP8(M, b) M((b) + 0) M((b) + 1) M((b) + 2) M((b) + 3) M((b) + 4) M((b) + 5) M((b) + 6) M((b) + 7)
#define REP16(M, b) REP8(M, b) REP8(M, (b) + 8)
#define REP128(M) REP16(M, 0) REP16(M, 16) REP16(M, 32) REP16(M, 48) REP16(M, 64) REP16(M, 80) REP16(M, 96) REP16(M, 112)

#endif
