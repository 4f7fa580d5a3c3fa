// A timerfd: a one-shot expiry read as an 8-byte count (EAGAIN before, poll and epoll readiness),
// a periodic timer's count adding up, none after disarming, timerfd_gettime, TFD_TIMER_ABSTIME on CLOCK_REALTIME,
// a new setting clearing the count, and the error paths (EINVAL for short reads, bad clocks,
// flags and itimerspecs, a file that is no timerfd; EBADF).
#include "jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>

static struct itimerspec ms(long value_ms, long interval_ms) {
    struct itimerspec it = {{interval_ms / 1000, interval_ms % 1000 * 1000000}, {value_ms / 1000, value_ms % 1000 * 1000000}};
    return it;
}

int main(void) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
    uint64_t n = 0;
    SHOW_ERR(read(fd, &n, 8));
    // A long timer to look at (a slow machine must not see it expire), then a short one.
    struct itimerspec it = ms(5000, 0), cur;
    SHOW_ERR(timerfd_settime(fd, 0, &it, NULL));
    SHOW_ERR(timerfd_gettime(fd, &cur));
    printf("armed: %s\n", cur.it_value.tv_sec >= 1 && cur.it_value.tv_sec < 5 ? "yes" : "no");
    it = ms(20, 0);
    SHOW_ERR(timerfd_settime(fd, 0, &it, NULL));
    struct pollfd p = {fd, POLLIN, 0};
    SHOW_RET(poll(&p, 1, 5000));
    printf("revents %#x\n", p.revents);
    SHOW_RET(read(fd, &n, 8));
    printf("expirations: %llu\n", (unsigned long long) n);
    SHOW_ERR(read(fd, &n, 8));
    SHOW_ERR(timerfd_gettime(fd, &cur));
    printf("after expiry: %ld %ld\n", (long) cur.it_value.tv_sec, cur.it_value.tv_nsec);

    // Periodic: the count adds up while nobody reads.
    it = ms(2, 2);
    SHOW_ERR(timerfd_settime(fd, 0, &it, NULL));
    // How many expirations pile up depends on the machine's load: wait for the first, then
    // sleep some more periods.
    SHOW_RET(poll(&p, 1, 5000));
    struct timespec nap = {0, 20000000};
    nanosleep(&nap, NULL);
    SHOW_RET(read(fd, &n, 8));
    printf("at least one expiration: %s\n", n >= 1 ? "yes" : "no");
    SHOW_ERR(timerfd_gettime(fd, &cur));
    printf("interval 2 ms: %s\n", cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 2000000 ? "yes" : "no");
    // A new setting clears the count.
    struct itimerspec off = ms(0, 0), old;
    SHOW_ERR(timerfd_settime(fd, 0, &off, &old));
    printf("old interval 2 ms: %s\n", old.it_interval.tv_nsec == 2000000 ? "yes" : "no");
    SHOW_ERR(read(fd, &n, 8));
    // However fast the old setting fired, nothing of it shows once timerfd_settime returned
    // (Linux's hrtimer_cancel waits for a running expiry).
    int late = 0;
    struct itimerspec fast = {{0, 50000}, {0, 50000}};
    struct timespec short_nap = {0, 200000};
    for (int i = 0; i < 500; i++) {
        timerfd_settime(fd, 0, &fast, NULL);
        nanosleep(&short_nap, NULL);
        timerfd_settime(fd, 0, &off, NULL);
        nanosleep(&short_nap, NULL);
        if (read(fd, &n, 8) != -1 || errno != EAGAIN) late++;
    }
    printf("counts after disarming: %d\n", late);

    // epoll, and an absolute CLOCK_REALTIME time.
    int rt = timerfd_create(CLOCK_REALTIME, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u64 = 77}};
    SHOW_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, rt, &ev));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    it = ms(0, 0);
    it.it_value.tv_sec = now.tv_sec;
    it.it_value.tv_nsec = now.tv_nsec + 10000000;
    if (it.it_value.tv_nsec >= 1000000000) { it.it_value.tv_sec++; it.it_value.tv_nsec -= 1000000000; }
    SHOW_ERR(timerfd_settime(rt, TFD_TIMER_ABSTIME, &it, NULL));
    struct epoll_event out;
    SHOW_RET(epoll_wait(ep, &out, 1, 5000));
    printf("epoll data %llu events %#x\n", (unsigned long long) out.data.u64, out.events);
    SHOW_RET(read(rt, &n, 8));
    printf("expirations: %llu\n", (unsigned long long) n);

    // Errors.
    char small[4];
    it = ms(1, 0);
    SHOW_ERR(timerfd_settime(fd, 0, &it, NULL));
    poll(&p, 1, 5000);
    SHOW_ERR(read(fd, small, 4));
    SHOW_ERR(timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
    SHOW_ERR(timerfd_create(99, 0));
    SHOW_ERR(timerfd_create(CLOCK_MONOTONIC, 0x10));
    SHOW_ERR(timerfd_settime(fd, 0x10, &it, NULL));
    it.it_value.tv_nsec = 1000000000;
    SHOW_ERR(timerfd_settime(fd, 0, &it, NULL));
    SHOW_ERR(timerfd_settime(ep, 0, &off, NULL));
    SHOW_ERR(timerfd_settime(999, 0, &off, NULL));
    SHOW_ERR(timerfd_gettime(ep, &cur));
    SHOW_ERR(timerfd_gettime(999, &cur));
    SHOW_ERR(write(fd, &n, 8));
    return 0;
}
