// futex(2) directly: EAGAIN on a changed value, ETIMEDOUT after a relative 10 ms wait and an
// absolute WAIT_BITSET deadline (monotonic and realtime), EINVAL for a misaligned word and a
// zero bitset, EFAULT, ENOSYS for an unknown op, wakes with and without waiters, WAKE_OP,
// CMP_REQUEUE, and a ping-pong between two threads.
// cflags: -pthread
// timeout: 60
#include "jux_test.h"
/* musl has no <linux/futex.h>: the ABI's numbers. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
    (((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))
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

static int gate = 0, parking = 0, other = 0, done = 0;
/* One wait each (no loop): without signals a FUTEX_WAIT ends only by a wake. */
static void *gate_waiter(void *arg) {
    (void)arg;
    __atomic_add_fetch(&waiters_up, 1, __ATOMIC_SEQ_CST);
    futex(&gate, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    struct timespec ten_ms = {0, 10 * 1000 * 1000}, start, abs;
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &start);
    SHOW_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &ten_ms, NULL, 0));
    printf("waited >= 10 ms: %s\n", ms_since(&start) >= 10 ? "yes" : "no");
    SHOW_ERR(futex(&word, FUTEX_WAIT, 0, &ten_ms, NULL, 0));
    clock_gettime(CLOCK_MONOTONIC, &start);
    abs = start;   /* the deadline is 10 ms after the very reading the wait is measured from */
    abs.tv_nsec += 10 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    SHOW_ERR(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY));
    printf("absolute wait >= 10 ms: %s\n", ms_since(&start) >= 10 ? "yes" : "no");
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
    /* Collect them on parking as they reach the kernel: then all four are known to wait. */
    long parked = 0;
    while (parked < 4) {
        parked += futex(&gate, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)100, &parking, 0);
        if (parked < 4) usleep(1000);
    }
    long r = futex(&parking, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2, &other, 0);
    printf("cmp_requeue woke+moved = %ld\n", r);
    while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < 1) usleep(1000);
    long a = futex(&parking, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    long b = futex(&other, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    printf("then woken from parking = %ld, from other = %ld\n", a, b);
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
