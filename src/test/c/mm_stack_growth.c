// The main thread's stack grows down on faults below the [stack] mapping (as /proc/self/maps
// shows), also when the kernel is the one touching it (read(2) into a fresh big local array);
// a MAP_GROWSDOWN mapping grows the same way; under a small RLIMIT_STACK deep recursion ends
// in SIGSEGV.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#define PAGE 4096UL

/* The size of the [stack] mapping, from /proc/self/maps. */
static unsigned long stack_size(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long start, end, size = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &start, &end) == 2) size = end - start;
    }
    fclose(f);
    return size;
}

__attribute__((noinline)) static long recurse(int depth) {
    volatile char frame[1024];
    frame[depth % 1024] = (char) depth;
    if (depth == 0) return frame[0];
    long below = recurse(depth - 1);
    return below + frame[depth % 1024];      /* frame is read after the call: no tail call */
}

/* A 1 MiB local array that the kernel writes first: read(2) must grow the stack. */
__attribute__((noinline)) static int kernel_touches_stack(int fd) {
    char big[1 << 20];
    ssize_t n = read(fd, big, sizeof big);
    return n == (ssize_t) sizeof big && big[0] == 0 && big[sizeof big - 1] == 0;
}

int main(void) {
    unsigned long before = stack_size();
    printf("[stack] at start is below 1 MiB: %s\n", before < (1UL << 20) ? "yes" : "no");
    recurse(3000);                                       /* ~3 MiB of frames */
    unsigned long after = stack_size();
    printf("[stack] grew past 2 MiB: %s\n", after > (2UL << 20) ? "yes" : "no");
    int zero = open("/dev/zero", O_RDONLY);
    printf("read(2) into a fresh 1 MiB local array: %s\n", kernel_touches_stack(zero) ? "ok" : "failed");

    /* MAP_GROWSDOWN: touching the page below the mapping extends it. It needs free room
     * below (stack_guard_gap, 256 pages, above any accessible mapping): a 4 MiB PROT_NONE
     * reservation, the upper 3 MiB unmapped, the growing page at its top. */
    char *r = mmap(NULL, 4UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(r != MAP_FAILED);
    SHOW_ERR(munmap(r + (1UL << 20), 3UL << 20));
    char *g = mmap(r + (4UL << 20) - PAGE, PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
    CHECK(g == r + (4UL << 20) - PAGE);
    g[-1] = 5;
    g[-3 * (long) PAGE] = 6;
    unsigned char vec[4];
    SHOW_ERR(mincore(g - 3 * PAGE, 4 * PAGE, vec));
    printf("the grown pages are mapped: %s\n", g[-1] == 5 && g[-3 * (long) PAGE] == 6 ? "yes" : "no");

    /* Directly above an accessible mapping there is no room to grow: SIGSEGV. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *below = mmap(r + (1UL << 20), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        volatile char *tight = mmap(below + PAGE, PAGE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
        if (below == MAP_FAILED || tight == MAP_FAILED) _exit(1);
        SHOW_ERR(munmap(below, PAGE));
        below = mmap(r + (1UL << 20) - PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        fflush(stdout);
        tight[-1] = 1;                                     /* within the guard gap of `below` */
        _exit(tight[-1] == 1 ? 0 : 2);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("growing within the guard gap: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : WEXITSTATUS(status) ? "failed" : "exited");

    /* RLIMIT_STACK: growth stops at the limit, the next fault is SIGSEGV. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct rlimit rl = {512 * 1024, 512 * 1024};
        setrlimit(RLIMIT_STACK, &rl);
        recurse(100);                                     /* fine */
        printf("100 KiB deep under a 512 KiB limit: ok\n");
        fflush(stdout);
        recurse(6000);                                    /* 6 MiB, past the 3 MiB the stack has: SIGSEGV */
        printf("not reached\n");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("6 MiB deep under a 512 KiB limit: %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : WEXITSTATUS(status) ? "failed" : "exited");
    return 0;
}
