/* A fixed amount of CPU-bound work (argv[2] million hash steps, no system calls) split over
 * argv[1] threads. Prints "seconds X" (wall time inside the program) and a checksum that does
 * not depend on the thread count. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long steps_per_thread;
static uint64_t results[64];

static void *work(void *arg) {
    long id = (long)arg;
    uint64_t x = 88172645463325252ULL + (uint64_t)id, h = 0;
    for (long i = 0; i < steps_per_thread; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        h += x * 0xff51afd7ed558ccdULL;
    }
    results[id] = h;
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    long million = argc > 2 ? atol(argv[2]) : 1000;
    if (threads < 1 || threads > 64) return 2;
    steps_per_thread = million * 1000000L / threads;
    pthread_t t[64];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < threads; i++) pthread_create(&t[i], NULL, work, (void *)i);
    uint64_t sum = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        sum += results[i] != 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("seconds %.3f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
    printf("threads_done %llu\n", (unsigned long long)sum);
    return 0;
}
