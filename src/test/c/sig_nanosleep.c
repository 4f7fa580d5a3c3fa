// Sleeps and timers: a nanosleep interrupted by SIGALRM reports the time left in *rem;
// clock_nanosleep relative (rem) and absolute (no rem) return EINTR; getitimer counts down
// from what setitimer set and keeps the interval; alarm returns the seconds left, rounded;
// an ignored signal does not cut a sleep short.
#include "jux_test.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

/* Periodic, so that an expiry before the sleep starts (a slow machine) is not the only one. */
static void arm_ms(int ms) {
    struct itimerval it = {{0, ms * 1000}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGALRM, on_alarm);

    printf("-- nanosleep\n");
    struct timespec req = {3, 0}, rem = {-1, -1};
    arm_ms(20);
    SHOW_ERR(nanosleep(&req, &rem));
    disarm();
    CHECK(rem.tv_sec < 3 && (rem.tv_sec > 0 || rem.tv_nsec > 0) && rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
    arm_ms(20);
    SHOW_ERR(nanosleep(&req, NULL));
    disarm();

    printf("-- clock_nanosleep\n");
    rem.tv_sec = -1;
    arm_ms(20);
    printf("relative: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem)));
    disarm();
    CHECK(rem.tv_sec < 3 && (rem.tv_sec > 0 || rem.tv_nsec > 0));
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += 3;
    rem.tv_sec = -1;
    arm_ms(20);
    printf("absolute: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, &rem)));
    disarm();
    CHECK(rem.tv_sec == -1);
    CHECK(alarms >= 4);

    printf("-- getitimer\n");
    struct itimerval it = {{0, 500000}, {10, 0}}, cur, old;
    SHOW_ERR(setitimer(ITIMER_REAL, &it, NULL));
    SHOW_ERR(getitimer(ITIMER_REAL, &cur));
    CHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 500000);
    CHECK(cur.it_value.tv_sec >= 5 && cur.it_value.tv_sec <= 10);
    struct itimerval off = {{0, 0}, {0, 0}};
    SHOW_ERR(setitimer(ITIMER_REAL, &off, &old));
    CHECK(old.it_value.tv_sec >= 5 && old.it_interval.tv_usec == 500000);
    SHOW_ERR(getitimer(ITIMER_REAL, &cur));
    CHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 && cur.it_interval.tv_usec == 0);
    SHOW_ERR(getitimer(3, &cur));
    SHOW_ERR(getitimer(ITIMER_REAL, (void *)8));
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    SHOW_ERR(setitimer(ITIMER_REAL, &bad, NULL));
    SHOW_ERR(setitimer(ITIMER_VIRTUAL, &off, NULL));

    printf("-- a periodic timer\n");
    alarms = 0;
    struct itimerval periodic = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &periodic, NULL);
    while (alarms < 3) pause();
    setitimer(ITIMER_REAL, &off, NULL);
    CHECK(alarms >= 3);   /* one more may come before the timer is stopped */

    printf("-- an ignored SIGALRM does not interrupt a sleep\n");
    signal(SIGALRM, SIG_IGN);
    arm_ms(10);   /* periodic: several ignored expiries during the sleep */
    struct timespec t0, t1, hundred_ms = {0, 100 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    SHOW_ERR(nanosleep(&hundred_ms, NULL));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    disarm();
    CHECK((t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec) >= 100 * 1000 * 1000);
    signal(SIGALRM, on_alarm);

    printf("-- alarm\n");
    SHOW_RET(alarm(5));
    SHOW_RET(alarm(3));
    SHOW_RET(alarm(0));
    SHOW_RET(alarm(0));
    return 0;
}
