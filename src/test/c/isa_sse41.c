// SSE4.1 over edge-case operands: blends (immediate and XMM0-mask forms), signed/unsigned
// byte/word/dword min and max, sign/zero extensions, extracts and inserts at every lane,
// PTEST's ZF/CF, PCMPEQQ, PACKUSDW saturation, PMULLD/PMULDQ, PHMINPOSUW ties, MPSADBW
// blocks, DPPS/DPPD masks, and ROUNDPS/PD/SS/SD in every imm8 mode and every MXCSR rounding
// mode over halves, negative zeros, NaNs, infinities, denormals and huge values.
#include "isa_vectors.h"

#define IMM128(name, insn, k)                                                                 \
    for (unsigned i = 0; i < NVEC; i++)                                                      \
        for (unsigned j = 0; j < NVEC; j += 3) {                                             \
            v2di r = vec(i), b = vec(j);                                                     \
            __asm__(insn " $" #k ", %1, %0" : "+x"(r) : "x"(b));                             \
            print128(name " " #k, i, j, r);                                                  \
        }

#define BLENDS(k) IMM128("blendps", "blendps", k) IMM128("blendpd", "blendpd", k) \
    IMM128("pblendw", "pblendw", k) IMM128("mpsadbw", "mpsadbw", k) IMM128("insertps", "insertps", k)

#define EXTRACT(k)                                                                           \
    for (unsigned i = 0; i < NVEC; i++) {                                                    \
        v2di v = vec(i);                                                                     \
        unsigned long long b, w, d, q, e;                                                    \
        __asm__("pextrb $" #k ", %1, %k0" : "=r"(b) : "x"(v));                               \
        __asm__("pextrw $" #k ", %1, %k0" : "=r"(w) : "x"(v));                               \
        __asm__("pextrd $" #k ", %1, %k0" : "=r"(d) : "x"(v));                               \
        __asm__("pextrq $" #k ", %1, %0" : "=r"(q) : "x"(v));                                \
        __asm__("extractps $" #k ", %1, %k0" : "=r"(e) : "x"(v));                            \
        v2di ib = v, id = v, iq = v;                                                         \
        __asm__("pinsrb $" #k ", %k1, %0" : "+x"(ib) : "r"(0x1a2b3c4dU));                    \
        __asm__("pinsrd $" #k ", %k1, %0" : "+x"(id) : "r"(0x1a2b3c4dU));                    \
        __asm__("pinsrq $" #k ", %1, %0" : "+x"(iq) : "r"(0x1122334455667788ULL));           \
        printf("extract %d %u: %llx %llx %llx %llx %llx\n", k, i, b, w, d, q, e);             \
        print128("pinsrb " #k, i, 0, ib); print128("pinsrd " #k, i, 0, id); print128("pinsrq " #k, i, 0, iq); \
    }

static void ptest(void) {
    for (unsigned i = 0; i < NVEC; i++)
        for (unsigned j = 0; j < NVEC; j++) {
            unsigned char z, c, a;
            __asm__("ptest %4, %3\n\tsetz %0\n\tsetc %1\n\tseta %2" : "=r"(z), "=r"(c), "=r"(a) : "x"(vec(i)), "x"(vec(j)));
            printf("ptest %u %u: zf %d cf %d above %d\n", i, j, z, c, a);
        }
}

static void blendv(void) {
    for (unsigned m = 0; m < NVEC; m++)
        for (unsigned i = 0; i < NVEC; i += 2) {
            v2di mask = vec(m), a = vec(i), b = vec((i + 3) % NVEC), r1 = a, r2 = a, r3 = a;
            __asm__("movdqa %1, %%xmm0\n\tpblendvb %%xmm0, %2, %0" : "+x"(r1) : "x"(mask), "x"(b) : "xmm0");
            __asm__("movdqa %1, %%xmm0\n\tblendvps %%xmm0, %2, %0" : "+x"(r2) : "x"(mask), "x"(b) : "xmm0");
            __asm__("movdqa %1, %%xmm0\n\tblendvpd %%xmm0, %2, %0" : "+x"(r3) : "x"(mask), "x"(b) : "xmm0");
            print128("pblendvb", m, i, r1); print128("blendvps", m, i, r2); print128("blendvpd", m, i, r3);
        }
}

static const double RD[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.0, 1e300, -4503599627370497.0,
                            4.9e-324, 0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0, 2.7, -2.7, 1e-310};

#define ROUND(k)                                                                             \
    for (unsigned i = 0; i < n; i++) {                                                       \
        double d[2] __attribute__((aligned(16))) = {RD[i], RD[(i + 5) % n]};                  \
        float f[4] __attribute__((aligned(16))) = {(float)RD[i], (float)RD[(i + 1) % n], (float)RD[(i + 2) % n], 1e-40f}; \
        v2di pd, ps, sd, ss;                                                                 \
        memcpy(&pd, d, 16); memcpy(&ps, f, 16); sd = pd; ss = ps;                             \
        unsigned csr = mode << 13 | 0x1f80;                                                  \
        __asm__ volatile("ldmxcsr %0" :: "m"(csr));                                          \
        __asm__ volatile("roundpd $" #k ", %0, %0" : "+x"(pd));                             \
        __asm__ volatile("roundps $" #k ", %0, %0" : "+x"(ps));                             \
        __asm__ volatile("roundsd $" #k ", %1, %0" : "+x"(sd) : "x"(pd));                   \
        __asm__ volatile("roundss $" #k ", %1, %0" : "+x"(ss) : "x"(ps));                   \
        unsigned after;                                                                      \
        __asm__ volatile("stmxcsr %0" : "=m"(after));                                        \
        printf("round imm %d rc %u mxcsr %04x ", k, mode, after);                           \
        print128("pd", i, 0, pd); print128("ps", i, 0, ps); print128("sd", i, 0, sd); print128("ss", i, 0, ss); \
    }

static void rounding(void) {
    const unsigned n = sizeof RD / sizeof RD[0];
    for (unsigned mode = 0; mode < 4; mode++) {
        ROUND(0) ROUND(1) ROUND(2) ROUND(3) ROUND(4) ROUND(5) ROUND(6) ROUND(7)
        ROUND(8) ROUND(9) ROUND(10) ROUND(11) ROUND(12) ROUND(13) ROUND(14) ROUND(15)
    }
    unsigned csr = 0x1f80;
    __asm__ volatile("ldmxcsr %0" :: "m"(csr));
}

#define DOT(k)                                                                               \
    for (unsigned i = 0; i < n; i++) {                                                       \
        float fa[4] __attribute__((aligned(16))) = {F[i], F[(i + 1) % n], F[(i + 2) % n], F[(i + 3) % n]}; \
        float fb[4] __attribute__((aligned(16))) = {F[(i * 3) % n], 2.0f, F[(i + 5) % n], -1.0f}; \
        double da[2] __attribute__((aligned(16))) = {F[i], F[(i + 4) % n]}, db[2] __attribute__((aligned(16))) = {3.0, F[(i + 2) % n]}; \
        v2di a, b, c, d;                                                                     \
        memcpy(&a, fa, 16); memcpy(&b, fb, 16); memcpy(&c, da, 16); memcpy(&d, db, 16);       \
        __asm__("dpps $" #k ", %1, %0" : "+x"(a) : "x"(b));                                  \
        __asm__("dppd $" #k ", %1, %0" : "+x"(c) : "x"(d));                                  \
        print128("dpps " #k, i, 0, a); print128("dppd " #k, i, 0, c);                          \
    }

static const float F[] = {1.0f, -2.5f, 0.1f, 3e38f, -3e38f, 1e-40f, 0.0f, -0.0f, 1.0f / 0.0f, 7.0f};

static void dots(void) {
    const unsigned n = sizeof F / sizeof F[0];
    DOT(0xff) DOT(0x31) DOT(0xf1) DOT(0x5a) DOT(0x00) DOT(0x3f) DOT(0x13) DOT(0x22) DOT(0xcc)
}

int main(void) {
    PAIRS128("pminsb", "pminsb"); PAIRS128("pminsd", "pminsd"); PAIRS128("pminuw", "pminuw"); PAIRS128("pminud", "pminud");
    PAIRS128("pmaxsb", "pmaxsb"); PAIRS128("pmaxsd", "pmaxsd"); PAIRS128("pmaxuw", "pmaxuw"); PAIRS128("pmaxud", "pmaxud");
    PAIRS128("pmovsxbw", "pmovsxbw"); PAIRS128("pmovsxbd", "pmovsxbd"); PAIRS128("pmovsxbq", "pmovsxbq");
    PAIRS128("pmovsxwd", "pmovsxwd"); PAIRS128("pmovsxwq", "pmovsxwq"); PAIRS128("pmovsxdq", "pmovsxdq");
    PAIRS128("pmovzxbw", "pmovzxbw"); PAIRS128("pmovzxbd", "pmovzxbd"); PAIRS128("pmovzxbq", "pmovzxbq");
    PAIRS128("pmovzxwd", "pmovzxwd"); PAIRS128("pmovzxwq", "pmovzxwq"); PAIRS128("pmovzxdq", "pmovzxdq");
    PAIRS128("pcmpeqq", "pcmpeqq"); PAIRS128("packusdw", "packusdw"); PAIRS128("pmulld", "pmulld");
    PAIRS128("pmuldq", "pmuldq"); PAIRS128("phminposuw", "phminposuw");
    BLENDS(0) BLENDS(1) BLENDS(5) BLENDS(0x0f) BLENDS(0x1b) BLENDS(0x55) BLENDS(0xaa) BLENDS(0xc9) BLENDS(0xff)
    EXTRACT(0) EXTRACT(1) EXTRACT(3) EXTRACT(7) EXTRACT(15)
    ptest();
    blendv();
    rounding();
    dots();
    return 0;
}
