// POSIX timers through the raw system calls (kernel timer ids, the same for every libc):
// SIGEV_SIGNAL with a value (a handler sees SI_TIMER, si_timerid, si_value), the default
// sigevent (SIGALRM), SIGEV_THREAD_ID, SIGEV_NONE counting down, CLOCK_REALTIME absolute
// times, CLOCK_BOOTTIME, the old value from timer_settime, overruns of a blocked periodic
// timer (si_overrun and timer_getoverrun), no signal after disarming, timers not inherited by
// fork, and the EINVAL paths.
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static long timer_create_(int clock, struct sigevent *ev, int *id) { return syscall(SYS_timer_create, clock, ev, id); }
static long timer_settime_(int id, int flags, const struct itimerspec *n, struct itimerspec *o) { return syscall(SYS_timer_settime, id, flags, n, o); }
static long timer_gettime_(int id, struct itimerspec *c) { return syscall(SYS_timer_gettime, id, c); }
static long timer_getoverrun_(int id) { return syscall(SYS_timer_getoverrun, id); }
static long timer_delete_(int id) { return syscall(SYS_timer_delete, id); }

/* sigev_notify_thread_id: the kernel's layout (glibc and musl name the field differently). */
static void set_tid(struct sigevent *ev, int tid) {
    memcpy((char *) ev + 16, &tid, sizeof tid);
}

static volatile sig_atomic_t handled, seen_code, seen_value, seen_id;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    handled++;
    seen_code = si->si_code;
    seen_value = si->si_value.sival_int;
    seen_id = si->si_timerid;
}

static struct itimerspec ms(long value_ms, long interval_ms) {
    struct itimerspec it = {{interval_ms / 1000, interval_ms % 1000 * 1000000}, {value_ms / 1000, value_ms % 1000 * 1000000}};
    return it;
}

static int wait_signal(int sig, siginfo_t *si) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    struct timespec ts = {5, 0};
    return sigtimedwait(&set, si, &ts);
}

/*
 * However fast a timer fired, no signal of its old setting arrives once timer_settime
 * disarmed it (Linux waits for a running expiry under the timer's lock). Returns how many
 * times one did.
 */
static int signals_after_disarming(void) {
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    int id, late = 0;
    if (timer_create_(CLOCK_MONOTONIC, &ev, &id) != 0) return -1;
    // The first expiry falls from 100 to 300 us into a 200 us nap, so some race with the
    // disarming call. The 1 ms period keeps the timer from flooding a platform whose signal
    // delivery costs more than the period (a KVM with 50-80 us exits took ~100 ms an iteration
    // with a 50 us period: the handler ran again as soon as rt_sigreturn finished).
    struct itimerspec fast = {{0, 1000000}, {0, 0}}, off = {{0, 0}, {0, 0}};
    struct timespec nap = {0, 200000};
    for (int i = 0; i < 500; i++) {
        fast.it_value.tv_nsec = 100000 + (i % 50) * 4000;
        timer_settime_(id, 0, &fast, NULL);
        nanosleep(&nap, NULL);
        timer_settime_(id, 0, &off, NULL);
        int before = handled;
        nanosleep(&nap, NULL);
        if (handled != before) late++;
    }
    timer_delete_(id);
    return late;
}

int main(void) {
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);

    // SIGEV_SIGNAL to a handler.
    struct sigaction sa = {0};
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 42;
    int id = -1;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id));
    printf("first id: %d\n", id);
    // A long timer to look at (a slow machine must not see it expire), then a short one.
    struct itimerspec it = ms(5000, 0), cur;
    SHOW_ERR(timer_settime_(id, 0, &it, NULL));
    SHOW_ERR(timer_gettime_(id, &cur));
    printf("armed: value in [1 s, 5 s): %s, interval 0: %s\n",
           cur.it_value.tv_sec >= 1 && cur.it_value.tv_sec < 5 ? "yes" : "no",
           cur.it_interval.tv_sec == 0 && cur.it_interval.tv_nsec == 0 ? "yes" : "no");
    it = ms(20, 0);
    SHOW_ERR(timer_settime_(id, 0, &it, NULL));
    while (!handled) pause();
    printf("handler: si_code SI_TIMER: %s, si_value %d, si_timerid == id: %s\n",
           seen_code == SI_TIMER ? "yes" : "no", (int) seen_value, seen_id == id ? "yes" : "no");
    SHOW_ERR(timer_gettime_(id, &cur));
    printf("after expiry: %ld %ld\n", (long) cur.it_value.tv_sec, cur.it_value.tv_nsec);
    SHOW_RET(timer_getoverrun_(id));

    // The default sigevent: SIGALRM, si_value the timer id.
    int id2 = -1;
    SHOW_ERR(timer_create_(CLOCK_REALTIME, NULL, &id2));
    printf("second id: %d\n", id2);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    it = ms(0, 0);
    it.it_value.tv_sec = now.tv_sec;
    it.it_value.tv_nsec = now.tv_nsec + 20000000;
    if (it.it_value.tv_nsec >= 1000000000) { it.it_value.tv_sec++; it.it_value.tv_nsec -= 1000000000; }
    SHOW_ERR(timer_settime_(id2, TIMER_ABSTIME, &it, NULL));
    siginfo_t si;
    SHOW_RET(wait_signal(SIGALRM, &si));
    printf("SIGALRM: SI_TIMER %s, value == id %s\n", si.si_code == SI_TIMER ? "yes" : "no", si.si_value.sival_int == id2 ? "yes" : "no");
    // An absolute time already past expires at once.
    it.it_value.tv_sec = 1;
    it.it_value.tv_nsec = 0;
    SHOW_ERR(timer_settime_(id2, TIMER_ABSTIME, &it, NULL));
    SHOW_RET(wait_signal(SIGALRM, &si));

    // The old value, then disarming.
    it = ms(10000, 500);
    SHOW_ERR(timer_settime_(id2, 0, &it, NULL));
    struct itimerspec old, zero = ms(0, 0);
    SHOW_ERR(timer_settime_(id2, 0, &zero, &old));
    printf("old value > 9 s: %s, old interval 500 ms: %s\n", old.it_value.tv_sec >= 9 ? "yes" : "no",
           old.it_interval.tv_sec == 0 && old.it_interval.tv_nsec == 500000000 ? "yes" : "no");
    SHOW_ERR(timer_gettime_(id2, &cur));
    printf("disarmed: %ld %ld\n", (long) cur.it_value.tv_sec, cur.it_value.tv_nsec);

    // Overruns: a 1 ms periodic timer whose signal stays blocked for a while.
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_int = 7;
    int id3 = -1;
    SHOW_ERR(timer_create_(CLOCK_BOOTTIME, &ev, &id3));
    it = ms(1, 1);
    SHOW_ERR(timer_settime_(id3, 0, &it, NULL));
    // While the signal waits (blocked), expiries count as overruns; a loaded machine may
    // run the timer late, so try a few times.
    long ov = 0;
    int overrun = 0, value = 0;
    for (int i = 0; i < 50 && overrun == 0; i++) {
        struct timespec pause_ts = {0, 30000000};
        nanosleep(&pause_ts, NULL);
        if (wait_signal(SIGUSR2, &si) != SIGUSR2) break;
        overrun = si.si_overrun;
        value = si.si_value.sival_int;
        ov = timer_getoverrun_(id3);
    }
    printf("si_overrun > 0: %s, value %d\n", overrun > 0 ? "yes" : "no", value);
    printf("timer_getoverrun == si_overrun: %s\n", ov == overrun ? "yes" : "no");
    SHOW_ERR(timer_delete_(id3));
    siginfo_t drop;
    struct timespec zero_ts = {0, 0};
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigtimedwait(&usr2, &drop, &zero_ts);

    // SIGEV_THREAD_ID: to this thread.
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    set_tid(&ev, gettid());
    int id4 = -1;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id4));
    it = ms(5, 0);
    SHOW_ERR(timer_settime_(id4, 0, &it, NULL));
    SHOW_RET(wait_signal(SIGUSR2, &si));
    printf("thread timer: SI_TIMER %s\n", si.si_code == SI_TIMER ? "yes" : "no");

    // SIGEV_NONE: counts down, sends nothing.
    ev.sigev_notify = SIGEV_NONE;
    int id5 = -1;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id5));
    it = ms(10000, 0);
    SHOW_ERR(timer_settime_(id5, 0, &it, NULL));
    SHOW_ERR(timer_gettime_(id5, &cur));
    printf("SIGEV_NONE counting down: %s\n", cur.it_value.tv_sec >= 5 && cur.it_value.tv_sec < 10 ? "yes" : "no");

    // A child has no timers.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        SHOW_ERR(timer_gettime_(id5, &cur));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    // Errors.
    SHOW_ERR(timer_create_(99, NULL, &id));
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC_RAW + 100, NULL, &id));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_signo = 65;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify = 99;
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id));
    ev.sigev_notify = SIGEV_THREAD_ID;
    set_tid(&ev, 999999);
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, &ev, &id));
    SHOW_ERR(timer_create_(CLOCK_MONOTONIC, NULL, NULL));
    it = ms(0, 0);
    it.it_value.tv_nsec = 1000000000;
    SHOW_ERR(timer_settime_(id5, 0, &it, NULL));
    it.it_value.tv_nsec = -1;
    SHOW_ERR(timer_settime_(id5, 0, &it, NULL));
    SHOW_ERR(timer_settime_(id5, 0, NULL, NULL));
    SHOW_ERR(timer_settime_(12345, 0, &zero, NULL));
    SHOW_ERR(timer_gettime_(12345, &cur));
    SHOW_ERR(timer_gettime_(id5, NULL));
    SHOW_ERR(timer_getoverrun_(12345));
    SHOW_ERR(timer_delete_(id5));
    SHOW_ERR(timer_delete_(id5));
    SHOW_ERR(timer_gettime_(id5, &cur));
    printf("signals after disarming: %d\n", signals_after_disarming());
    return 0;
}
