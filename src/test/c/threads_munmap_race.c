// A thread keeps storing to a page while another thread replaces the page's mapping and maps
// fresh anonymous memory, which must read as zeros: Linux's munmap (and MAP_FIXED's
// replacement) returns only after the TLB shootdown, so no store through the old translation
// lands in a frame given out again. The interpreter once freed the frame first and let the
// other CPU catch up at its next step: ~5% of rounds found the old stores in a fresh page.
// cflags: -pthread
// timeout: 120
#include "jux_test.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#define ROUNDS 200
#define PATTERN 0x5a5a5a5a5a5a5a5aL

static volatile long *target;
static volatile int started, faulted;
static sigjmp_buf env;

static void on_segv(int sig) {
    (void)sig;
    faulted = 1;
    siglongjmp(env, 1);
}

/* Stores to the target page until the store faults (the page became PROT_NONE). */
static void *writer(void *arg) {
    (void)arg;
    if (sigsetjmp(env, 1) == 0) {
        volatile long *p = target;
        started = 1;
        for (;;)
            for (int i = 0; i < 512; i++) p[i] = PATTERN;
    }
    return NULL;
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    int dirty = 0, unfaulted = 0;
    for (int r = 0; r < ROUNDS; r++) {
        target = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (target == MAP_FAILED) { perror("mmap"); return 1; }
        target[0] = 1;
        started = faulted = 0;
        pthread_t t;
        pthread_create(&t, NULL, writer, NULL);
        while (!started) ;
        usleep(100);
        /* Replaced by an inaccessible page rather than unmapped, so the fresh mappings below
         * never get its address (where the writer's stores would be legitimate): its frame
         * is freed all the same. */
        mmap((void *)target, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        /* Fresh pages at once: a frame just freed is the likeliest to come back. */
        for (int k = 0; k < 16; k++) {
            long *q = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            for (int j = 0; j < 8; j++) q[j * 512] = 0;   /* fault the frames in */
            for (volatile int w = 0; w < 2000; w++) ;
            for (int j = 0; j < 8 * 512; j++)
                if (q[j] != 0) { dirty++; break; }
            munmap(q, 8 * 4096);
        }
        pthread_join(t, NULL);
        if (!faulted) unfaulted++;
        munmap((void *)target, 4096);
    }
    printf("rounds %d: writer did not fault in %d, fresh pages holding its stores: %d\n", ROUNDS, unfaulted, dirty);
    return dirty != 0;
}
