// futex_waitv(2): EINVAL for flags, no or too many waiters, a bad clock, entry flags other
// than a 32-bit size (+ FUTEX2_PRIVATE), reserved bits, a value wider than 32 bits or a
// misaligned word; EFAULT; EAGAIN when a value differs; ETIMEDOUT on both clocks; a wake of
// any one word returns its index (private and shared words).
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX2_SIZE_U32 0x02
#define FUTEX2_PRIVATE 128

struct waitv { uint64_t val, uaddr; uint32_t flags, reserved; };

static _Atomic uint32_t words[4];

static long waitv(struct waitv *w, unsigned n, unsigned flags, struct timespec *ts, int clock) {
    return syscall(SYS_futex_waitv, w, n, flags, ts, clock);
}

static void fill(struct waitv *w, int n, uint32_t flags) {
    for (int i = 0; i < n; i++) {
        w[i].val = 0;
        w[i].uaddr = (uintptr_t)&words[i];
        w[i].flags = flags;
        w[i].reserved = 0;
    }
}

static long result;
static int result_errno;
static uint32_t entry_flags;
static void *waiter(void *arg) {
    (void)arg;
    struct waitv w[3];
    fill(w, 3, entry_flags);
    errno = 0;
    result = waitv(w, 3, 0, NULL, 0);
    result_errno = errno;
    return NULL;
}

static void woken_by(int index, int private_) {
    entry_flags = FUTEX2_SIZE_U32 | (private_ ? FUTEX2_PRIVATE : 0);
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    while (syscall(SYS_futex, &words[index], FUTEX_WAKE | (private_ ? FUTEX_PRIVATE_FLAG : 0), 1, NULL, NULL, 0) == 0) usleep(1000);
    pthread_join(t, NULL);
    printf("%s wait woken through word %d: returned %ld %s\n", private_ ? "private" : "shared", index, result, errname(result_errno));
}

int main(void) {
    struct waitv w[130];
    fill(w, 130, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
    for (int i = 4; i < 130; i++) w[i].uaddr = (uintptr_t)&words[i % 4];
    struct timespec ts = after_ms(CLOCK_MONOTONIC, 20);
    SHOW_ERR(waitv(w, 1, 1, &ts, CLOCK_MONOTONIC));
    SHOW_ERR(waitv(NULL, 1, 0, &ts, CLOCK_MONOTONIC));
    SHOW_ERR(waitv(w, 0, 0, &ts, CLOCK_MONOTONIC));
    SHOW_ERR(waitv(w, 129, 0, &ts, CLOCK_MONOTONIC));
    SHOW_ERR(waitv(w, 1, 0, &ts, CLOCK_BOOTTIME));
    SHOW_ERR(waitv(w, 1, 0, &ts, 99));
    SHOW_ERR(waitv((void *)8, 1, 0, &ts, CLOCK_MONOTONIC));
    SHOW_ERR(waitv(w, 1, 0, (void *)8, CLOCK_MONOTONIC));
    struct timespec bad = {0, -1};
    SHOW_ERR(waitv(w, 1, 0, &bad, CLOCK_MONOTONIC));

    w[1].flags = FUTEX2_PRIVATE;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].flags = 0x03 | FUTEX2_PRIVATE;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].flags = FUTEX2_SIZE_U32 | 0x1000;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].flags = FUTEX2_SIZE_U32;
    w[1].reserved = 1;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].reserved = 0;
    w[1].val = 1ULL << 32;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].val = 0;
    w[1].uaddr += 1;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].uaddr = 8;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));
    w[1].uaddr = (uintptr_t)&words[1];

    words[2] = 5;
    SHOW_ERR(waitv(w, 3, 0, &ts, CLOCK_MONOTONIC));
    words[2] = 0;
    ts = after_ms(CLOCK_MONOTONIC, 20);
    SHOW_ERR(waitv(w, 3, 0, &ts, CLOCK_MONOTONIC));
    ts = after_ms(CLOCK_REALTIME, 20);
    SHOW_ERR(waitv(w, 128, 0, &ts, CLOCK_REALTIME));
    ts.tv_sec = 0;
    SHOW_ERR(waitv(w, 2, 0, &ts, CLOCK_MONOTONIC));

    woken_by(0, 1);
    woken_by(2, 1);
    woken_by(1, 0);
    return 0;
}
