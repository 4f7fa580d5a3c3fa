// The mlock family: mlock fills pages in and counts them in VmLck, mlock2(MLOCK_ONFAULT) does
// not fill them, munlock and munlockall give them back, mlockall(MCL_CURRENT|MCL_FUTURE) locks
// new mappings too; a fork child inherits no locks; RLIMIT_MEMLOCK for an unprivileged
// process (EPERM at 0, ENOMEM past it, EAGAIN for MAP_LOCKED); and the errors.
#include "jux_test.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PAGE 4096UL

#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

static long vmlck_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmLck: %ld kB", &kb) == 1) break;
    }
    fclose(f);
    return kb;
}

static int resident(void *p, size_t pages) {
    unsigned char vec[64];
    if (mincore(p, pages * PAGE, vec) != 0) return -1;
    int n = 0;
    for (size_t i = 0; i < pages; i++) n += vec[i] & 1;
    return n;
}

static int mlock2_(const void *addr, size_t len, unsigned flags) {
    return (int) syscall(SYS_mlock2, addr, len, flags);
}

int main(void) {
    printf("VmLck at start: %ld kB\n", vmlck_kb());
    char *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    printf("resident before mlock: %d\n", resident(p, 16));
    SHOW_ERR(mlock(p + 100, 3 * PAGE));                 /* unaligned: widened to 4 pages */
    printf("resident after mlock: %d, VmLck %ld kB\n", resident(p, 16), vmlck_kb());
    SHOW_ERR(mlock(p, 2 * PAGE));                       /* already locked: counted once */
    printf("VmLck after locking again: %ld kB\n", vmlck_kb());
    SHOW_ERR(mlock2_(p + 8 * PAGE, 4 * PAGE, MLOCK_ONFAULT));
    printf("MLOCK_ONFAULT: resident %d, VmLck %ld kB\n", resident(p + 8 * PAGE, 4), vmlck_kb());
    p[8 * PAGE] = 1;
    printf("after touching one, it is resident: %s\n", resident(p + 8 * PAGE, 1) == 1 ? "yes" : "no");
    SHOW_ERR(munlock(p, 2 * PAGE));
    printf("VmLck after munlock of 2 pages: %ld kB\n", vmlck_kb());

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(vmlck_kb() == 0 ? 0 : 1);
    int status;
    waitpid(pid, &status, 0);
    printf("fork child inherits no locks: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");

    SHOW_ERR(munlockall());
    printf("VmLck after munlockall: %ld kB\n", vmlck_kb());

    /* mlockall(MCL_CURRENT | MCL_FUTURE): new mappings come locked and filled in. */
    SHOW_ERR(mlockall(MCL_CURRENT | MCL_FUTURE));
    printf("VmLck after mlockall is above 0: %s\n", vmlck_kb() > 0 ? "yes" : "no");
    char *q = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("a new mapping after MCL_FUTURE is resident: %d\n", resident(q, 8));
    SHOW_ERR(munlockall());
    char *r = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("after munlockall a new mapping is resident: %d\n", resident(r, 8));
    printf("VmLck after munlockall: %ld kB\n", vmlck_kb());

    /* MAP_LOCKED: filled in at once. */
    char *l = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    printf("MAP_LOCKED: resident %d, VmLck %ld kB\n", resident(l, 4), vmlck_kb());
    SHOW_ERR(munmap(l, 4 * PAGE));
    printf("VmLck after munmap: %ld kB\n", vmlck_kb());

    /* Errors. */
    SHOW_ERR(mlock2_(p, PAGE, 2));
    SHOW_ERR(mlockall(0));
    SHOW_ERR(mlockall(MCL_ONFAULT));
    SHOW_ERR(mlockall(8));
    SHOW_ERR(munmap(p + 4 * PAGE, PAGE));
    SHOW_ERR(mlock(p, 8 * PAGE));                       /* a hole: ENOMEM */
    SHOW_ERR(munlock(p, 8 * PAGE));
    SHOW_ERR(mlock((void *) 0x10000, PAGE));
    SHOW_ERR(mlock(p, 0));
    SHOW_ERR(mlock((void *) -PAGE, 2 * PAGE));

    /* An unprivileged process under RLIMIT_MEMLOCK. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct rlimit rl = {8 * PAGE, 8 * PAGE};
        SHOW_ERR(setrlimit(RLIMIT_MEMLOCK, &rl));
        SHOW_ERR(setgid(65534));
        SHOW_ERR(setuid(65534));
        char *u = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        SHOW_ERR(mlock(u, 4 * PAGE));
        SHOW_ERR(mlock(u, 8 * PAGE));                   /* 4 already locked: 8 in all, at the limit */
        SHOW_ERR(mlock(u + 8 * PAGE, PAGE));            /* one more: ENOMEM */
        void *m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        printf("MAP_LOCKED past the limit: %s\n", m == MAP_FAILED ? errname(errno) : "mapped");
        SHOW_ERR(mlockall(MCL_CURRENT));                /* the whole address space: ENOMEM */
        SHOW_ERR(munlock(u, 8 * PAGE));
        SHOW_ERR(mlock(u + 8 * PAGE, PAGE));
        struct rlimit zero = {0, 0};
        SHOW_ERR(setrlimit(RLIMIT_MEMLOCK, &zero));
        SHOW_ERR(mlock(u, PAGE));                       /* limit 0: EPERM */
        SHOW_ERR(mlockall(MCL_FUTURE));
        m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
        printf("MAP_LOCKED with limit 0: %s\n", m == MAP_FAILED ? errname(errno) : "mapped");
        SHOW_ERR(munlockall());
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
