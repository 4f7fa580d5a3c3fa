// Address-space limits: RLIMIT_AS fails mmap, brk and mremap growth with ENOMEM; RLIMIT_DATA
// counts private writable mappings only; the overcommit heuristic refuses one private writable
// mapping larger than RAM unless MAP_NORESERVE (or read-only).
#include "jux_test.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define MiB (1UL << 20)

/* VmSize from /proc/self/status, in bytes. */
static unsigned long vm_size(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long kb = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmSize: %lu kB", &kb) == 1) break;
    }
    fclose(f);
    return kb * 1024;
}

static const char *try_map(size_t len, int prot, int flags) {
    void *p = mmap(NULL, len, prot, flags, -1, 0);
    if (p == MAP_FAILED) return errname(errno);
    munmap(p, len);
    return "ok";
}

static void in_child(void (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void address_space(void) {
    struct rlimit rl = {vm_size() + 32 * MiB, RLIM_INFINITY};
    SHOW_ERR(setrlimit(RLIMIT_AS, &rl));
    printf("mmap 16 MiB under RLIMIT_AS: %s\n", try_map(16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("mmap 64 MiB past RLIMIT_AS: %s\n", try_map(64 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("read-only 64 MiB too: %s\n", try_map(64 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE));
    void *old = sbrk(0);
    void *r = sbrk(64 * MiB);
    printf("sbrk 64 MiB: %s\n", r == (void *) -1 ? errname(errno) : "ok");
    printf("break unchanged: %s\n", sbrk(0) == old ? "yes" : "no");
    r = sbrk(4 * MiB);
    printf("sbrk 4 MiB: %s\n", r == (void *) -1 ? errname(errno) : "ok");
    char *p = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    void *q = mremap(p, 8 * MiB, 64 * MiB, MREMAP_MAYMOVE);
    printf("mremap to 64 MiB: %s\n", q == MAP_FAILED ? errname(errno) : "ok");
    q = mremap(p, 8 * MiB, 12 * MiB, MREMAP_MAYMOVE);
    printf("mremap to 12 MiB: %s\n", q == MAP_FAILED ? errname(errno) : "ok");
    /* MAP_FIXED over existing pages costs nothing new. */
    void *f = mmap(q, 12 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED over the same 12 MiB: %s\n", f == MAP_FAILED ? errname(errno) : "ok");
}

static void data(void) {
    struct rlimit rl = {64 * MiB, RLIM_INFINITY};
    SHOW_ERR(setrlimit(RLIMIT_DATA, &rl));
    printf("private writable 128 MiB past RLIMIT_DATA: %s\n", try_map(128 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("private read-only 128 MiB: %s\n", try_map(128 * MiB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("shared writable 128 MiB: %s\n", try_map(128 * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS));
    printf("private writable 16 MiB: %s\n", try_map(16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
}

int main(void) {
    in_child(address_space);
    in_child(data);
    /* 32 TiB: more than any RAM, so the heuristic overcommit refuses it unless not accounted. */
    size_t huge = 1UL << 45;
    printf("32 TiB private writable: %s\n", try_map(huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("32 TiB with MAP_NORESERVE: %s\n", try_map(huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE));
    printf("32 TiB read-only: %s\n", try_map(huge, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS));
    printf("32 TiB shared: %s\n", try_map(huge, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS));
    struct rlimit bad = {2, 1};
    SHOW_ERR(setrlimit(RLIMIT_AS, &bad));
    return 0;
}
