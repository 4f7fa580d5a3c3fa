// Clocks: the monotonic clock never goes back and moves while we compute; the real-time clock
// is a plausible date and agrees with gettimeofday and time; bad clock ids fail.
#include "jux_test.h"
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

int main(void) {
    struct timespec a, b;
    int monotonic = 1, in_range = 1, failed = 0;
    SHOW_ERR(clock_gettime(CLOCK_MONOTONIC, &a));
    for (int i = 0; i < 1000; i++) {
        failed |= clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(b) < ns(a)) monotonic = 0;
        if (b.tv_nsec < 0 || b.tv_nsec >= 1000000000) in_range = 0;
        a = b;
    }
    printf("CLOCK_MONOTONIC never goes back: %s\n", monotonic ? "true" : "false");
    printf("tv_nsec always in [0, 1e9): %s\n", in_range ? "true" : "false");
    CHECK(failed == 0);

    volatile uint64_t x = 1;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 20000000; i++) x = x * 6364136223846793005ULL + 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK(ns(b) > ns(a));

    struct timespec real;
    SHOW_ERR(clock_gettime(CLOCK_REALTIME, &real));
    CHECK(real.tv_sec > 1700000000);
    struct timeval tv;
    SHOW_ERR(gettimeofday(&tv, NULL));
    CHECK(tv.tv_sec - real.tv_sec >= 0 && tv.tv_sec - real.tv_sec <= 2);
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    time_t t = time(NULL);
    CHECK(t - real.tv_sec >= 0 && t - real.tv_sec <= 2);

    struct timespec cpu;
    SHOW_ERR(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));
    CHECK(ns(cpu) > 0);
    SHOW_ERR(clock_gettime(CLOCK_BOOTTIME, &b));
    SHOW_ERR(clock_gettime(CLOCK_MONOTONIC_COARSE, &b));
    SHOW_ERR(clock_gettime(CLOCK_REALTIME_COARSE, &b));

    struct timespec res;
    SHOW_ERR(clock_getres(CLOCK_MONOTONIC, &res));
    CHECK(res.tv_sec == 0 && res.tv_nsec == 1);
    SHOW_ERR(syscall(SYS_clock_gettime, 1000, &b));
    SHOW_ERR(syscall(SYS_clock_getres, 1000, &res));
    return 0;
}
