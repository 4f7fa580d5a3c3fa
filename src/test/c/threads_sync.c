// POSIX threads, 16 of them, hammer a mutex, a condition variable and a barrier; join values;
// __thread variables per thread; gettid differs from getpid in threads, getpid is the same.
// cflags: -pthread
// timeout: 120
#include "jux_test.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define THREADS 16
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static long counter;
static uint64_t checksum;
static int turn;            /* token passed around the ring with the condvar */
static __thread int mine = -1;
static __thread char tls_buf[64];
static pid_t main_pid;
static int tids_differ = 1, pids_same = 1, tls_ok = 1, serial_threads;

static void *worker(void *arg) {
    int id = (int)(intptr_t)arg;
    mine = id;
    snprintf(tls_buf, sizeof tls_buf, "thread %d", id);
    if (syscall(SYS_gettid) == main_pid) tids_differ = 0;
    if (getpid() != main_pid) pids_same = 0;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        checksum = checksum * 31 + (uint64_t)(id + 1);  /* order-dependent: only sum checked below */
        pthread_mutex_unlock(&lock);
    }
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
        pthread_mutex_lock(&lock);
        serial_threads++;
        pthread_mutex_unlock(&lock);
    }
    /* A ring: each thread waits for its turn 3 times. */
    for (int r = 0; r < 3; r++) {
        pthread_mutex_lock(&lock);
        while (turn % THREADS != id) pthread_cond_wait(&cond, &lock);
        turn++;
        pthread_cond_broadcast(&cond);
        pthread_mutex_unlock(&lock);
    }
    char expect[64];
    snprintf(expect, sizeof expect, "thread %d", id);
    if (mine != id || strcmp(tls_buf, expect) != 0) tls_ok = 0;
    return (void *)(intptr_t)(id * 10 + 1);
}

int main(void) {
    main_pid = getpid();
    mine = 999;
    CHECK(syscall(SYS_gettid) == getpid());
    pthread_barrier_init(&barrier, NULL, THREADS);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
    }
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        int e = pthread_join(t[i], &ret);
        if (e != 0) printf("join %d: %s\n", i, errname(e));
        sum += (intptr_t)ret;
    }
    printf("counter = %ld (expected %d)\n", counter, THREADS * ROUNDS);
    printf("sum of join values = %ld\n", sum);
    printf("ring turns = %d\n", turn);
    printf("serial threads at the barrier = %d\n", serial_threads);
    CHECK(tids_differ);
    CHECK(pids_same);
    CHECK(tls_ok);
    CHECK(mine == 999);
    return 0;
}
