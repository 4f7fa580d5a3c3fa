// nanosleep sleeps at least as long as asked and returns 0; bad durations fail with EINVAL;
// clock_nanosleep with an absolute time in the past returns at once.
#include "jux_test.h"
#include <stdint.h>
#include <time.h>

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

int main(void) {
    int64_t start = now_ns();
    struct timespec req = {0, 10 * 1000 * 1000}, rem = {123, 456};
    SHOW_RET(nanosleep(&req, &rem));
    int64_t took = now_ns() - start;
    CHECK(took >= 10 * 1000 * 1000);
    CHECK(took < 5000LL * 1000 * 1000);

    SHOW_RET(syscall(SYS_nanosleep, &(struct timespec){0, 0}, NULL));
    SHOW_ERR(syscall(SYS_nanosleep, &(struct timespec){0, 1000000000}, NULL));
    SHOW_ERR(syscall(SYS_nanosleep, &(struct timespec){-1, 0}, NULL));
    SHOW_ERR(syscall(SYS_nanosleep, &(struct timespec){0, -1}, NULL));
    SHOW_ERR(syscall(SYS_nanosleep, NULL, NULL));

    struct timespec past;
    clock_gettime(CLOCK_MONOTONIC, &past);
    past.tv_sec -= 1;
    start = now_ns();
    /* clock_nanosleep returns the error number instead of setting errno. */
    printf("clock_nanosleep(TIMER_ABSTIME, the past) = %d\n",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    CHECK(now_ns() - start < 1000LL * 1000 * 1000);
    struct timespec soon;
    clock_gettime(CLOCK_MONOTONIC, &soon);
    soon.tv_nsec += 5 * 1000 * 1000;
    if (soon.tv_nsec >= 1000000000) { soon.tv_sec++; soon.tv_nsec -= 1000000000; }
    int64_t target = (int64_t)soon.tv_sec * 1000000000 + soon.tv_nsec;
    printf("clock_nanosleep(TIMER_ABSTIME, in 5 ms) = %d\n",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &soon, NULL));
    CHECK(now_ns() >= target);
    return 0;
}
