// The C library's string functions against plain reference loops, at every alignment and
// ending right before an unmapped page. glibc picks SSE2/SSSE3/SSE4.2 variants (PCMPISTRI in
// strcspn/strspn/strpbrk, PSHUFB/PALIGNR in copies...) from CPUID, so on the interpreter this
// checks those instructions through the code that really uses them.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

static char *page_end; /* the first byte of the PROT_NONE page */
static unsigned long checks, failures;

static void check(const char *what, int align, int len, long got, long want) {
    checks++;
    if (got != want && failures++ < 20) printf("MISMATCH %s align %d len %d: got %ld want %ld\n", what, align, len, got, want);
}

static size_t ref_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static int ref_sign(int v) { return v < 0 ? -1 : v > 0; }
static int ref_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return ref_sign((unsigned char)*a - (unsigned char)*b);
}
static int ref_strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a) return ref_sign((unsigned char)*a - (unsigned char)*b);
    }
    return 0;
}
static size_t ref_span(const char *s, const char *set, int accept) {
    size_t n = 0;
    for (; s[n]; n++) if ((strchr(set, s[n]) != NULL && s[n]) != accept) break;
    return n;
}
static const char *ref_strstr(const char *h, const char *n) {
    size_t ln = ref_strlen(n);
    for (; ; h++) {
        if (ref_strncmp(h, n, ln) == 0) return h;
        if (!*h) return NULL;
    }
}

/* A string of len bytes drawn from a small alphabet (so searches hit), ending at the page end. */
static char *place(int len, unsigned seed) {
    char *s = page_end - len - 1;
    for (int i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        s[i] = "abcxyz\x80\xff"[(seed >> 16) % 8];
    }
    s[len] = 0;
    return s;
}

int main(void) {
    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || mprotect(m + pg, pg, PROT_NONE) != 0) return 1;
    page_end = m + pg;
    static char other[4096];
    for (int len = 0; len < 80; len++) {
        for (int k = 0; k < 4; k++) {
            char *s = place(len, len * 7 + k);
            int align = (int)((unsigned long)s & 15);
            check("strlen", align, len, strlen(s), ref_strlen(s));
            check("strnlen", align, len, strnlen(s, len / 2 + k), len < len / 2 + k ? len : len / 2 + k);
            for (const char *c = "axz\x80q"; *c; c++) {
                const char *r = strchr(s, *c), *want = NULL;
                for (int i = 0; i < len; i++) if (s[i] == *c) { want = s + i; break; }
                check("strchr", align, len, r ? r - s : -1, want ? want - s : -1);
                const char *rr = strrchr(s, *c), *wr = NULL;
                for (int i = 0; i < len; i++) if (s[i] == *c) wr = s + i;
                check("strrchr", align, len, rr ? rr - s : -1, wr ? wr - s : -1);
                const char *mc = memchr(s, *c, len);
                check("memchr", align, len, mc ? mc - s : -1, want ? want - s : -1);
            }
            check("strchr-nul", align, len, strchr(s, 0) - s, len);
            /* compare against a copy with one byte changed at each position */
            char *o = other + (len * 3 + k) % 17;
            memcpy(o, s, len + 1);
            check("strcmp-same", align, len, ref_sign(strcmp(s, o)), 0);
            check("memcmp-same", align, len, ref_sign(memcmp(s, o, len)), 0);
            for (int i = 0; i < len; i += 1 + len / 9) {
                char save = o[i];
                o[i] = (char)(save + 1 + k);
                check("strcmp", align, i, ref_sign(strcmp(s, o)), ref_strcmp(s, o));
                check("strncmp", align, i, ref_sign(strncmp(s, o, i + k)), ref_strncmp(s, o, i + k));
                check("memcmp", align, i, ref_sign(memcmp(s, o, len)), ref_sign(memcmp(o, s, len)) * -1);
                check("strcasecmp", align, i, strcasecmp(s, o) == 0, ref_strcmp(s, o) == 0 ||
                      ((unsigned char)(s[i] | 0x20) == (unsigned char)(o[i] | 0x20) && ref_strcmp(s + i + 1, o + i + 1) == 0 &&
                       ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')));
                o[i] = save;
            }
            const char *sets[] = {"a", "xyz", "abc", "\x80\xff", "cba\x80zyx", "q", ""};
            for (int t = 0; t < 7; t++) {
                check("strspn", align, len, strspn(s, sets[t]), ref_span(s, sets[t], 1));
                check("strcspn", align, len, strcspn(s, sets[t]), ref_span(s, sets[t], 0));
                const char *pb = strpbrk(s, sets[t]);
                size_t cs = ref_span(s, sets[t], 0);
                check("strpbrk", align, len, pb ? pb - s : -1, s[cs] ? (long)cs : -1);
            }
            const char *needles[] = {"ab", "xyz", "\x80\xff", "abcabc", "", "zz", "c\xff"};
            for (int t = 0; t < 7; t++) {
                const char *r = strstr(s, needles[t]), *w = ref_strstr(s, needles[t]);
                check("strstr", align, len, r ? r - s : -1, w ? w - s : -1);
                const char *mm = memmem(s, len, needles[t], strlen(needles[t]));
                check("memmem", align, len, mm ? mm - s : -1, w ? w - s : -1);
            }
            /* copies: strcpy/stpcpy/memmove (overlapping both ways)/memset */
            char *d = other + 2048 + (len * 5 + k) % 16;
            check("stpcpy", align, len, stpcpy(d, s) - d, len);
            check("strcpy", align, len, memcmp(strcpy(d, s), s, len + 1), 0);
            memmove(d + 3, d, len);
            check("memmove-up", align, len, memcmp(d + 3, s, len), 0);
            memmove(d, d + 3, len);
            check("memmove-down", align, len, memcmp(d, s, len), 0);
            memset(d, 'q', len);
            int all = 1;
            for (int i = 0; i < len; i++) all &= d[i] == 'q';
            check("memset", align, len, all, 1);
        }
    }
    /* Big copies (the non-temporal and REP MOVSB paths) */
    size_t big = 1 << 20;
    char *a = malloc(big + 64), *b = malloc(big + 64);
    for (size_t i = 0; i < big + 64; i++) a[i] = (char)(i * 131 + (i >> 9));
    for (int off = 0; off < 3; off++) {
        memcpy(b + off, a + 7, big);
        check("memcpy-1MiB", off, (int)big, memcmp(b + off, a + 7, big), 0);
    }
    printf("%lu checks, %lu failures\n", checks, failures);
    return failures != 0;
}
