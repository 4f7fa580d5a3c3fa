// SSE4.2: PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM with every imm8 (element size and
// signedness, the four aggregations, the four polarities, least/most significant index and
// bit/byte masks) over strings with early, late and no terminators, bytes above 0x7f, and
// explicit lengths that are zero, short, exact, negative and too long; the index, the flags
// (CF ZF SF OF) and the mask are printed. Also PCMPGTQ, CRC32 of every width, and POPCNT.
#include "isa_vectors.h"

static const char S[][17] = {
    "", "a", "ab", "az09AZ\xe0\xff", "abcabcabcabcabca", "xabcaby", "bca", "hello, world!\n",
    "zzzzzzzzzzzzzzzz", "\x80\xff\x7f\x01" "a", "ca\0bcabc", "AB\0\0az\x7f\x80\xff\xff\x01\x00\x00\x80"};
#define NS (sizeof S / sizeof S[0])
static const int LEN[] = {0, 1, 3, 7, 8, 9, 16, 17, -2, -9, 0x7fffffff, (int)0x80000000};
#define NL (sizeof LEN / sizeof LEN[0])

static v2di str(int i) {
    v2di v;
    memcpy(&v, S[i], 16);
    return v;
}

/* One line per (instruction, imm8): a checksum over every string pair of (index or mask, flags). */
static unsigned long long mix(unsigned long long h, unsigned long long v) {
    return (h ^ v) * 0x100000001b3ULL;
}

#define FLAGS "\n\tsetc %b[c]\n\tsetz %b[z]\n\tsets %b[s]\n\tseto %b[o]"
#define OUTF [c] "=&r"(c), [z] "=&r"(z), [s] "=&r"(s), [o] "=&r"(o)

#define PCMP(k)                                                                                \
    {                                                                                          \
        unsigned long long hi_ = 0xcbf29ce484222325ULL, he_ = hi_, mi_ = hi_, me_ = hi_;       \
        for (unsigned i = 0; i < NS; i++)                                                      \
            for (unsigned j = 0; j < NS; j++) {                                                \
                v2di a = str(i), b = str(j), m;                                                \
                unsigned idx;                                                                  \
                unsigned c, z, s, o;                                                           \
                int la = LEN[(i + j) % NL], lb = LEN[(i * 5 + j * 3 + 1) % NL];                \
                __asm__("pcmpistri $" #k ", %[b], %[a]" FLAGS : "=c"(idx), OUTF : [a] "x"(a), [b] "x"(b)); \
                hi_ = mix(hi_, idx | (c & 1) << 8 | (z & 1) << 9 | (s & 1) << 10 | (o & 1) << 11); \
                __asm__("pcmpestri $" #k ", %[b], %[a]" FLAGS : "=c"(idx), OUTF : [a] "x"(a), [b] "x"(b), "a"(la), "d"(lb)); \
                he_ = mix(he_, idx | (c & 1) << 8 | (z & 1) << 9 | (s & 1) << 10 | (o & 1) << 11); \
                __asm__("pcmpistrm $" #k ", %[b], %[a]\n\tmovdqa %%xmm0, %[m]" FLAGS : [m] "=x"(m), OUTF : [a] "x"(a), [b] "x"(b) : "xmm0"); \
                mi_ = mix(mix(mix(mi_, m[0]), m[1]), (c & 1) | (z & 1) << 1 | (s & 1) << 2 | (o & 1) << 3); \
                __asm__("pcmpestrm $" #k ", %[b], %[a]\n\tmovdqa %%xmm0, %[m]" FLAGS : [m] "=x"(m), OUTF : [a] "x"(a), [b] "x"(b), "a"(la), "d"(lb) : "xmm0"); \
                me_ = mix(mix(mix(me_, m[0]), m[1]), (c & 1) | (z & 1) << 1 | (s & 1) << 2 | (o & 1) << 3); \
            }                                                                                  \
        printf("imm %02x: istri %016llx estri %016llx istrm %016llx estrm %016llx\n", k, hi_, he_, mi_, me_); \
    }

static void samples(void) {
    /* A few results in full, readable when a checksum line differs. */
    for (unsigned j = 0; j < NS; j++) {
        unsigned i1, i2, i3;
        v2di set = str(6), range, needle = str(6);
        memset(&range, 0, 16);
        memcpy(&range, "az09", 4);
        __asm__("pcmpistri $0x00, %1, %2" : "=c"(i1) : "x"(str(j)), "x"(set));
        __asm__("pcmpistri $0x14, %1, %2" : "=c"(i2) : "x"(str(j)), "x"(range));
        __asm__("pcmpistri $0x0c, %1, %2" : "=c"(i3) : "x"(str(j)), "x"(needle));
        printf("string %u: any-of-bca %u outside-a-z0-9 %u find-bca %u\n", j, i1, i2, i3);
    }
}

static void crc_popcnt(void) {
    static const unsigned long long V[] = {0, 1, 0xff, 0x8000000000000000ULL, 0x0123456789abcdefULL, ~0ULL};
    for (unsigned i = 0; i < 6; i++) {
        unsigned c8 = 0xffffffff, c16 = 1, c32 = 0x12345678;
        unsigned long long c64 = 0xdeadbeefULL, p64;
        unsigned p32;
        unsigned short p16;
        __asm__("crc32b %b1, %0" : "+r"(c8) : "r"((unsigned)V[i]));
        __asm__("crc32w %w1, %0" : "+r"(c16) : "r"((unsigned)V[i]));
        __asm__("crc32l %k1, %0" : "+r"(c32) : "r"((unsigned)V[i]));
        __asm__("crc32q %1, %0" : "+r"(c64) : "r"(V[i]));
        __asm__("popcnt %1, %0" : "=r"(p64) : "r"(V[i]));
        __asm__("popcnt %1, %0" : "=r"(p32) : "r"((unsigned)V[i]));
        __asm__("popcnt %1, %0" : "=r"(p16) : "r"((unsigned short)V[i]));
        printf("crc32 %llx: %08x %08x %08x %016llx popcnt %llu %u %u\n", V[i], c8, c16, c32, c64, p64, p32, p16);
    }
    const char *text = "The quick brown fox jumps over the lazy dog";
    unsigned crc = ~0u;
    for (const char *p = text; *p; p++) __asm__("crc32b %1, %0" : "+r"(crc) : "m"(*p));
    printf("crc32c(text) %08x\n", ~crc);
}

int main(void) {
    PAIRS128("pcmpgtq", "pcmpgtq");
    REP128(PCMP)
    samples();
    crc_popcnt();
    return 0;
}
