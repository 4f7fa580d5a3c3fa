// XSAVE, XSAVEOPT, XSAVEC and XRSTOR for the x87 and SSE components (EDX:EAX = 3, which every
// x86-64 CPU with XSAVE has in XCR0), and XGETBV's x87|SSE bits: the legacy region's fields,
// XSTATE_BV and XCOMP_BV, XRSTOR of modified images, of the initial state (XSTATE_BV = 0) and
// of bad images (#GP: SIGSEGV). MXCSR_MASK is the CPU's own and not printed.
#include "jux_test.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

static uint8_t area[2][4096] __attribute__((aligned(64)));
static sigjmp_buf env;

static void on_segv(int sig) {
    (void) sig;
    siglongjmp(env, 1);
}

static void load_state(void) {
    static const double d[2] = {1.25, -3.5};
    asm volatile("fninit\n\tfld1\n\tfldpi\n\tfldl2e" ::: "st", "st(1)", "st(2)");
    asm volatile("movupd %0, %%xmm0\n\tmovupd %0, %%xmm7\n\tpcmpeqb %%xmm15, %%xmm15" :: "m"(d) : "xmm0", "xmm7", "xmm15");
    unsigned mx = 0x3f80; /* RC down */
    asm volatile("ldmxcsr %0" :: "m"(mx));
}

static void show(const char *what, const uint8_t *a) {
    uint64_t bv, comp;
    memcpy(&bv, a + 512, 8);
    memcpy(&comp, a + 520, 8);
    printf("%-22s fcw %04x fsw %04x ftw %02x mxcsr %08x st0 %016llx:%04x xmm0 %016llx xmm15 %016llx xstate_bv&3 %llx xcomp_bv %llx\n",
           what, *(uint16_t *) a, *(uint16_t *) (a + 2), a[4], *(uint32_t *) (a + 24), *(unsigned long long *) (a + 32),
           *(uint16_t *) (a + 40), *(unsigned long long *) (a + 160), *(unsigned long long *) (a + 160 + 15 * 16),
           (unsigned long long) (bv & 3), (unsigned long long) comp);
}

static void xsave(uint8_t *a) { asm volatile("xsave64 %0" : "+m"(*(uint8_t (*)[576]) a) : "a"(3), "d"(0) : "memory"); }
static void xsaveopt(uint8_t *a) { asm volatile("xsaveopt64 %0" : "+m"(*(uint8_t (*)[576]) a) : "a"(3), "d"(0) : "memory"); }
static void xsavec(uint8_t *a) { asm volatile("xsavec64 %0" : "+m"(*(uint8_t (*)[576]) a) : "a"(3), "d"(0) : "memory"); }
static void xrstor(uint8_t *a, unsigned mask) { asm volatile("xrstor64 %0" :: "m"(*(uint8_t (*)[576]) a), "a"(mask), "d"(0) : "memory"); }

/* XSAVE into a zeroed area: XSAVE writes only XSTATE_BV in the header. */
static void fresh_xsave(uint8_t *a) {
    memset(a, 0, 1024);
    xsave(a);
}

/* XRSTOR of an image expected to fault (or not): prints which. */
static void try_xrstor(const char *what, uint8_t *a) {
    struct sigaction sa = {.sa_handler = on_segv};
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(env, 1) == 0) {
        xrstor(a, 3);
        printf("%-22s restored\n", what);
    } else {
        printf("%-22s SIGSEGV\n", what);
    }
    signal(SIGSEGV, SIG_DFL);
}

int main(void) {
    unsigned lo, hi;
    asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    printf("xgetbv: x87 %d sse %d\n", lo & 1, (lo >> 1) & 1);

    load_state();
    xsave(area[0]);
    show("xsave", area[0]);
    memset(area[1], 0, sizeof area[1]);
    load_state();
    xsavec(area[1]);
    show("xsavec", area[1]);
    load_state();
    xsaveopt(area[0]);
    show("xsaveopt", area[0]);

    /* Change the image, restore it, save again: the changes come back. */
    area[0][0] = 0x7f; area[0][1] = 0x0f;                 /* FCW: RC up, PC 64 */
    memset(area[0] + 160, 0x11, 16);                      /* XMM0 */
    *(uint32_t *) (area[0] + 24) = 0x1f80;
    xrstor(area[0], 3);
    xsave(area[1]);
    show("xrstor changed", area[1]);

    /* XSTATE_BV = 0: both components to their initial state. */
    load_state();
    xsave(area[0]);
    memset(area[0] + 512, 0, 8);
    xrstor(area[0], 3);
    xsave(area[1]);
    show("xrstor init", area[1]);

    /* Only SSE requested: the x87 keeps its state. */
    load_state();
    xsave(area[0]);
    asm volatile("fninit");
    memset(area[0] + 160, 0x22, 16);
    xrstor(area[0], 2);
    xsave(area[1]);
    show("xrstor sse only", area[1]);

    /* The compacted image restores too. */
    load_state();
    xsavec(area[0]);
    asm volatile("fninit\n\tpxor %%xmm0, %%xmm0" ::: "xmm0");
    xrstor(area[0], 3);
    xsave(area[1]);
    show("xrstor compacted", area[1]);

    /* Bad images: #GP. */
    load_state();
    fresh_xsave(area[0]);
    *(uint32_t *) (area[0] + 24) = 0xffffffff;
    try_xrstor("mxcsr reserved bits", area[0]);
    fresh_xsave(area[0]);
    area[0][530] = 1;
    try_xrstor("header byte 18", area[0]);
    fresh_xsave(area[0]);
    area[0][540] = 1;
    try_xrstor("header byte 28", area[0]);
    fresh_xsave(area[0]);
    area[0][512 + 7] = 0x40; /* XSTATE_BV bit 62 */
    try_xrstor("xstate_bv bit 62", area[0]);
    memset(area[0], 0, 1024);
    xsavec(area[0]);
    area[0][560] = 1;
    try_xrstor("compacted header byte", area[0]);
    memset(area[0], 0, 1024);
    xsavec(area[0]);
    area[0][512] = 0x7; /* XSTATE_BV bit 2 not in XCOMP_BV */
    try_xrstor("compacted bv > comp", area[0]);
    fresh_xsave(area[0] + 64);
    try_xrstor("misaligned", area[0] + 80);
    fresh_xsave(area[0]);
    try_xrstor("good image", area[0]);
    return 0;
}
