// futex(2) directly: EAGAIN on a changed value, ETIMEDOUT after a relative 10 ms wait and an
// absolute WAIT_BITSET deadline (monotonic and realtime), EINVAL for a misaligned word and a
// zero bitset, EFAULT, ENOSYS for an unknown op, wakes with and without waiters, WAKE_OP,
// CMP_REQUEUE, and a ping-pong between two threads.
// cflags: -pthread
// timeout: 60
#include "jux_test.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static long futex(void *uaddr, int op, int val, const void *timeout, void *uaddr2, int val3) {
    return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static long ms_since(struct timespec *a) {
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

static int word = 0, ball = 0, waiters_up = 0;
static int aligned[4];
#define PINGS 1000

static void *ponger(void *arg) {
    (void)arg;
    for (int i = 0; i < PINGS; i++) {
        while (__atomic_load_n(&ball, __ATOMIC_SEQ_CST) != 1) futex(&ball, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        __atomic_store_n(&ball, 0, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    }
    return NULL;
}

static int gate = 0, other = 0;
static void *gate_waiter(void *arg) {
    (void)arg;
    __atomic_add_fetch(&waiters_up, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&gate, __ATOMIC_SEQ_CST) == 0) futex(&gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

int main(void) {
    struct timespec ten_ms = {0, 10 * 1000 * 1000}, start, abs;
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &start);
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0));
    printf("waited >= 10 ms: %s\n", ms_since(&start) >= 10 ? "yes" : "no");
    SHOW_ERR(futex(&word, FUTEX_WAIT, 0, &ten_ms, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 10 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    clock_gettime(CLOCK_MONOTONIC, &start);
    SHOW_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    printf("absolute wait >= 10 ms: %s\n", ms_since(&start) >= 9 ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_sec -= 1;   /* in the past: at once */
    SHOW_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    struct timespec bad = {0, 1000000000};
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &bad, NULL, 0));
    SHOW_ERR(futex((char *)aligned + 1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    SHOW_ERR(futex((char *)aligned + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
    SHOW_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0));
    SHOW_ERR(futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
    SHOW_ERR(futex((void *)16, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
    SHOW_ERR(futex((void *)16, FUTEX_WAIT, 0, NULL, NULL, 0));
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, (void *)16, NULL, 0));
    SHOW_ERR(futex(&word, 99, 0, NULL, NULL, 0));
    SHOW_ERR(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));
    SHOW_RET(futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0));
    SHOW_RET(futex(&word, FUTEX_WAKE, 10, NULL, NULL, 0));

    /* WAKE_OP with nobody waiting: the operation still applies. */
    aligned[0] = 5;
    SHOW_RET(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &aligned[0], FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)));
    printf("after WAKE_OP add 3: %d\n", aligned[0]);
    SHOW_RET(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &aligned[0], FUTEX_OP(FUTEX_OP_OR, 0x10, FUTEX_OP_CMP_GT, 100)));
    printf("after WAKE_OP or 0x10: %d\n", aligned[0]);
    SHOW_ERR(futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &aligned[0], FUTEX_OP(7, 0, 0, 0)));
    SHOW_ERR(futex(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &other, 42));

    /* Four waiters on gate: wake one, requeue two to other, then wake the rest. */
    pthread_t w[4];
    for (int i = 0; i < 4; i++) pthread_create(&w[i], NULL, gate_waiter, NULL);
    while (__atomic_load_n(&waiters_up, __ATOMIC_SEQ_CST) < 4) sched_yield();
    struct timespec settle = {0, 50 * 1000 * 1000};
    nanosleep(&settle, NULL);   /* let them reach FUTEX_WAIT */
    long r = futex(&gate, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2, &other, 0);
    printf("cmp_requeue woke+moved = %ld\n", r);
    __atomic_store_n(&gate, 1, __ATOMIC_SEQ_CST);
    long a = futex(&gate, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    long b = futex(&other, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    printf("woken from gate = %ld, from other = %ld\n", a, b);
    for (int i = 0; i < 4; i++) pthread_join(w[i], NULL);

    pthread_t p;
    pthread_create(&p, NULL, ponger, NULL);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < PINGS; i++) {
        __atomic_store_n(&ball, 1, __ATOMIC_SEQ_CST);
        futex(&ball, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (__atomic_load_n(&ball, __ATOMIC_SEQ_CST) != 0) futex(&ball, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
    }
    long ms = ms_since(&start);
    pthread_join(p, NULL);
    printf("ping-pong of %d round trips done\n", PINGS);
    if (getenv("FUTEX_BENCH")) fprintf(stderr, "round trip: %.2f us\n", ms * 1000.0 / PINGS);
    return 0;
}
