// Setting the clock: clock_settime(2) and settimeofday(2) check their arguments in Linux's
// order (EINVAL for a clock nobody may set, EFAULT, EINVAL for a bad time) before the
// permission (EPERM). Run as an unprivileged user natively and under Jux (where no task may
// set the clock, root included), so both answer EPERM where Linux checks CAP_SYS_TIME.
#include "jux_test.h"
#include <sys/time.h>
#include <time.h>

int main(void) {
    if (getuid() == 0) {
        SHOW_ERR(setgid(65534));
        SHOW_ERR(setuid(65534));
    }
    struct timespec now;
    SHOW_ERR(clock_gettime(CLOCK_REALTIME, &now));

    // Clocks without a set hook: EINVAL whatever the time, even a bad pointer.
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_MONOTONIC, &now));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_MONOTONIC, (void *) 1));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_BOOTTIME, &now));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_TAI, &now));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME_COARSE, &now));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &now));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_THREAD_CPUTIME_ID, &now));
    SHOW_ERR(syscall(SYS_clock_settime, 99, &now));

    // CLOCK_REALTIME: the pointer, then the time, then the permission.
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, (void *) 1));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, NULL));
    struct timespec bad = {now.tv_sec, 1000000000};
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    bad = (struct timespec) {-1, 0};
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    bad = (struct timespec) {9000000000L, 0};   // past the last settable second
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    SHOW_ERR(syscall(SYS_clock_settime, CLOCK_REALTIME, &now));
    SHOW_ERR(clock_settime(CLOCK_REALTIME, &now));

    // A process's CPU-time clock: never settable (EPERM), EINVAL for one of no process.
    clockid_t cpu;
    CHECK(clock_getcpuclockid(getpid(), &cpu) == 0);
    SHOW_ERR(syscall(SYS_clock_settime, cpu, &now));
    SHOW_ERR(syscall(SYS_clock_settime, cpu, (void *) 1));
    clockid_t none = (clockid_t) ((~(clockid_t) 4000000) << 3);   // the clock of pid 4,000,000
    SHOW_ERR(syscall(SYS_clock_settime, none, &now));

    // settimeofday: EFAULT, EINVAL for tv_usec, then EPERM before the timezone's range.
    struct timeval tv = {now.tv_sec, 0};
    struct timezone tz = {0, 0}, far = {2000, 0};
    SHOW_ERR(syscall(SYS_settimeofday, (void *) 1, NULL));
    SHOW_ERR(syscall(SYS_settimeofday, NULL, (void *) 1));
    tv.tv_usec = 1000001;
    SHOW_ERR(syscall(SYS_settimeofday, &tv, NULL));
    tv.tv_usec = -1;
    SHOW_ERR(syscall(SYS_settimeofday, &tv, NULL));
    tv.tv_usec = 1000000;   // allowed by the first check, then 1e9 ns: not a valid time
    SHOW_ERR(syscall(SYS_settimeofday, &tv, NULL));
    tv.tv_usec = 0;
    SHOW_ERR(syscall(SYS_settimeofday, &tv, NULL));
    SHOW_ERR(syscall(SYS_settimeofday, NULL, &tz));
    SHOW_ERR(syscall(SYS_settimeofday, NULL, &far));
    SHOW_ERR(syscall(SYS_settimeofday, NULL, NULL));
    SHOW_ERR(settimeofday(&tv, NULL));

    // Nothing changed: the clock still reads about now.
    struct timespec after;
    SHOW_ERR(clock_gettime(CLOCK_REALTIME, &after));
    CHECK(after.tv_sec - now.tv_sec >= 0 && after.tv_sec - now.tv_sec < 60);
    return 0;
}
