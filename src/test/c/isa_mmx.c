// MMX instructions over edge-case lanes (saturation, signed/unsigned extremes, shift counts
// at and beyond the lane width), the SSE-era MMX extensions, MMX <-> general/XMM moves, and
// the aliasing onto the x87: an MMX write sets the register's exponent to all ones, TOP to 0
// and every tag valid; EMMS empties them.
#include "isa_vectors.h"

static void lanes(void) {
    PAIRS64("paddb", "paddb"); PAIRS64("paddw", "paddw"); PAIRS64("paddd", "paddd"); PAIRS64("paddq", "paddq");
    PAIRS64("paddsb", "paddsb"); PAIRS64("paddsw", "paddsw"); PAIRS64("paddusb", "paddusb"); PAIRS64("paddusw", "paddusw");
    PAIRS64("psubb", "psubb"); PAIRS64("psubw", "psubw"); PAIRS64("psubd", "psubd"); PAIRS64("psubq", "psubq");
    PAIRS64("psubsb", "psubsb"); PAIRS64("psubsw", "psubsw"); PAIRS64("psubusb", "psubusb"); PAIRS64("psubusw", "psubusw");
    PAIRS64("pmullw", "pmullw"); PAIRS64("pmulhw", "pmulhw"); PAIRS64("pmulhuw", "pmulhuw"); PAIRS64("pmuludq", "pmuludq");
    PAIRS64("pmaddwd", "pmaddwd"); PAIRS64("pcmpeqb", "pcmpeqb"); PAIRS64("pcmpeqw", "pcmpeqw"); PAIRS64("pcmpeqd", "pcmpeqd");
    PAIRS64("pcmpgtb", "pcmpgtb"); PAIRS64("pcmpgtw", "pcmpgtw"); PAIRS64("pcmpgtd", "pcmpgtd");
    PAIRS64("packsswb", "packsswb"); PAIRS64("packssdw", "packssdw"); PAIRS64("packuswb", "packuswb");
    PAIRS64("punpcklbw", "punpcklbw"); PAIRS64("punpcklwd", "punpcklwd"); PAIRS64("punpckldq", "punpckldq");
    PAIRS64("punpckhbw", "punpckhbw"); PAIRS64("punpckhwd", "punpckhwd"); PAIRS64("punpckhdq", "punpckhdq");
    PAIRS64("pand", "pand"); PAIRS64("por", "por"); PAIRS64("pxor", "pxor"); PAIRS64("pandn", "pandn");
    PAIRS64("psllw", "psllw"); PAIRS64("pslld", "pslld"); PAIRS64("psllq", "psllq"); PAIRS64("psrlw", "psrlw");
    PAIRS64("psrld", "psrld"); PAIRS64("psrlq", "psrlq"); PAIRS64("psraw", "psraw"); PAIRS64("psrad", "psrad");
    PAIRS64("pminub", "pminub"); PAIRS64("pmaxub", "pmaxub"); PAIRS64("pminsw", "pminsw"); PAIRS64("pmaxsw", "pmaxsw");
    PAIRS64("pavgb", "pavgb"); PAIRS64("pavgw", "pavgw"); PAIRS64("psadbw", "psadbw");
}

#define SHIFT_IMM(n)                                                                        \
    do {                                                                                    \
        uint64_t v = 0x8001ff7f00c03fe1ULL, w = v, d = v, q = v, a = v, s = v;              \
        __asm__("movq %0, %%mm0\n\tpsllw $" #n ", %%mm0\n\tmovq %%mm0, %0" : "+r"(w) :: "mm0"); \
        __asm__("movq %0, %%mm0\n\tpsrld $" #n ", %%mm0\n\tmovq %%mm0, %0" : "+r"(d) :: "mm0"); \
        __asm__("movq %0, %%mm0\n\tpsrlq $" #n ", %%mm0\n\tmovq %%mm0, %0" : "+r"(q) :: "mm0"); \
        __asm__("movq %0, %%mm0\n\tpsraw $" #n ", %%mm0\n\tmovq %%mm0, %0" : "+r"(a) :: "mm0"); \
        __asm__("movq %0, %%mm0\n\tpshufw $" #n ", %%mm0, %%mm0\n\tmovq %%mm0, %0" : "+r"(s) :: "mm0"); \
        __asm__("emms");                                                                    \
        printf("imm %3d: psllw %016llx psrld %016llx psrlq %016llx psraw %016llx pshufw %016llx\n", n, \
               (unsigned long long)w, (unsigned long long)d, (unsigned long long)q, (unsigned long long)a, \
               (unsigned long long)s);                                                      \
    } while (0)

static void immediates(void) {
    SHIFT_IMM(0); SHIFT_IMM(1); SHIFT_IMM(7); SHIFT_IMM(15); SHIFT_IMM(16); SHIFT_IMM(31);
    SHIFT_IMM(32); SHIFT_IMM(63); SHIFT_IMM(64); SHIFT_IMM(0x1b); SHIFT_IMM(255);
    for (unsigned i = 0; i < NVEC; i++) {
        uint64_t v = VEC[i][0];
        unsigned e0, e3, mask;
        uint64_t ins = v;
        __asm__("movq %3, %%mm2\n\tpextrw $0, %%mm2, %0\n\tpextrw $3, %%mm2, %1\n\tpmovmskb %%mm2, %2\n\t"
                "pinsrw $2, %4, %%mm2\n\tmovq %%mm2, %3\n\temms"
                : "=&r"(e0), "=&r"(e3), "=&r"(mask), "+r"(ins) : "r"(0xbeefu) : "mm2");
        printf("vec %u: pextrw0 %x pextrw3 %x pmovmskb %x pinsrw2 %016llx\n", i, e0, e3, mask, (unsigned long long)ins);
    }
}

/* FXSAVE after x87 and MMX work: FSW (TOP), the abridged tag byte, and ST3/MM3's 10 bytes. */
static void show(const char *what, const unsigned char *fx) {
    printf("%s: fsw %02x%02x ftw %02x mm3/st3 ", what, fx[3], fx[2], fx[4]);
    for (int i = 9; i >= 0; i--) printf("%02x", fx[32 + 3 * 16 + i]);
    printf(" st0 ");
    for (int i = 9; i >= 0; i--) printf("%02x", fx[32 + i]);
    printf("\n");
}

static void x87_alias(void) {
    static unsigned char a[512] __attribute__((aligned(16))), b[512] __attribute__((aligned(16))),
        c[512] __attribute__((aligned(16))), d[512] __attribute__((aligned(16)));
    uint64_t v = 0x0123456789abcdefULL, back = 0;
    __asm__ volatile("fninit\n\tfld1\n\tfldpi\n\tfxsave (%1)\n\t"
                     "movq %5, %%mm3\n\tfxsave (%2)\n\t"
                     "movq %%mm3, %0\n\temms\n\tfxsave (%3)\n\t"
                     "movq %5, %%mm0\n\tfld1\n\tfxsave (%4)\n\tfninit"
                     : "=&r"(back) : "r"(a), "r"(b), "r"(c), "r"(d), "r"(v) : "mm0", "mm3", "memory");
    show("x87 two pushes", a);
    show("after movq mm3", b);
    show("after emms", c);
    show("fld1 after mmx", d);
    printf("mm3 read back %016llx\n", (unsigned long long)back);
}

int main(void) {
    lanes();
    immediates();
    x87_alias();
    return 0;
}
