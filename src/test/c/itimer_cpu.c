// ITIMER_PROF and ITIMER_VIRTUAL count the process's CPU time: a busy loop with a 10 ms
// periodic timer gets SIGPROF / SIGVTALRM repeatedly (si_code SI_KERNEL), getitimer's value
// falls as CPU time is used, a zero value disarms (the interval stays as set), and a thread
// burning CPU counts for the whole process. Counts vary, so only relations are printed.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t prof_count, vt_count, bad_code;

static void on_signal(int sig, siginfo_t *si, void *ctx) {
    (void) ctx;
    if (si->si_code != SI_KERNEL) bad_code = 1;
    if (sig == SIGPROF) prof_count++;
    else vt_count++;
}

static double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Burns CPU until *count reaches want, or for at most 20 s of wall time. */
static void burn_until(volatile sig_atomic_t *count, int want) {
    double start = wall_seconds();
    volatile unsigned long x = 0;
    while (*count < want && wall_seconds() - start < 20)
        for (int i = 0; i < 100000; i++) x += i;
}

/* Burns at least this much process CPU time. */
static void burn_cpu(double seconds) {
    double start = cpu_seconds();
    volatile unsigned long x = 0;
    while (cpu_seconds() - start < seconds)
        for (int i = 0; i < 10000; i++) x += i;
}

static long usec(struct timeval tv) {
    return tv.tv_sec * 1000000L + tv.tv_usec;
}

static volatile int thread_stop;

static void *spinner(void *arg) {
    (void) arg;
    volatile unsigned long x = 0;
    while (!thread_stop) x++;
    return NULL;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
    sigaction(SIGVTALRM, &sa, NULL);

    /* A 10 ms periodic ITIMER_PROF fires again and again while the process computes. */
    struct itimerval ten_ms = {{0, 10000}, {0, 10000}};
    SHOW_ERR(setitimer(ITIMER_PROF, &ten_ms, NULL));
    burn_until(&prof_count, 5);
    printf("SIGPROF at least 5 times: %s\n", prof_count >= 5 ? "yes" : "no");
    struct itimerval cur;
    SHOW_ERR(getitimer(ITIMER_PROF, &cur));
    printf("PROF interval 10 ms: %s, value in (0, 10 ms]: %s\n", usec(cur.it_interval) == 10000 ? "yes" : "no",
           usec(cur.it_value) > 0 && usec(cur.it_value) <= 10000 ? "yes" : "no");

    /* A zero value disarms: the old setting comes back, then nothing fires. */
    struct itimerval off = {{0, 10000}, {0, 0}}, old;
    SHOW_ERR(setitimer(ITIMER_PROF, &off, &old));
    printf("old value armed: %s\n", usec(old.it_value) > 0 ? "yes" : "no");
    SHOW_ERR(getitimer(ITIMER_PROF, &cur));
    printf("after disarm: value %ld, interval %ld\n", usec(cur.it_value), usec(cur.it_interval));
    int before = prof_count;
    burn_cpu(0.05);
    printf("no SIGPROF after disarm: %s\n", prof_count == before ? "yes" : "no");

    /* A long one-shot timer: the time left falls as CPU time is used. */
    struct itimerval ten_s = {{0, 0}, {10, 0}};
    SHOW_ERR(setitimer(ITIMER_PROF, &ten_s, NULL));
    struct itimerval a, b;
    SHOW_ERR(getitimer(ITIMER_PROF, &a));
    burn_cpu(0.05);
    SHOW_ERR(getitimer(ITIMER_PROF, &b));
    printf("value over 9 s: %s, falls with CPU time: %s, by at least 40 ms: %s\n", usec(a.it_value) > 9000000 ? "yes" : "no",
           usec(b.it_value) < usec(a.it_value) ? "yes" : "no", usec(a.it_value) - usec(b.it_value) >= 40000 ? "yes" : "no");
    SHOW_ERR(setitimer(ITIMER_PROF, &off, NULL));

    /* ITIMER_VIRTUAL counts user time only; a busy loop is all user time. */
    SHOW_ERR(setitimer(ITIMER_VIRTUAL, &ten_ms, NULL));
    burn_until(&vt_count, 3);
    printf("SIGVTALRM at least 3 times: %s\n", vt_count >= 3 ? "yes" : "no");
    SHOW_ERR(setitimer(ITIMER_VIRTUAL, &off, NULL));
    SHOW_ERR(getitimer(ITIMER_VIRTUAL, &cur));
    printf("VIRTUAL disarmed: %s\n", usec(cur.it_value) == 0 ? "yes" : "no");

    /* The timers are per process: another thread's CPU time counts too. */
    prof_count = 0;
    pthread_t th;
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGPROF);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    CHECK(pthread_create(&th, NULL, spinner, NULL) == 0);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    struct itimerval one_shot = {{0, 0}, {0, 20000}};
    SHOW_ERR(setitimer(ITIMER_PROF, &one_shot, NULL));
    double start = wall_seconds();
    while (prof_count == 0 && wall_seconds() - start < 20) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    thread_stop = 1;
    pthread_join(th, NULL);
    printf("SIGPROF from the other thread's CPU time: %s\n", prof_count == 1 ? "yes" : "no");
    SHOW_ERR(getitimer(ITIMER_PROF, &cur));
    printf("one-shot disarmed after firing: %s\n", usec(cur.it_value) == 0 ? "yes" : "no");
    printf("every si_code SI_KERNEL: %s\n", bad_code ? "no" : "yes");
    return 0;
}
