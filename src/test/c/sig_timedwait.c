// rt_sigtimedwait: takes a pending signal with its siginfo (raise, sigqueue's value), EAGAIN
// after the timeout (zero included), EINTR when a handled signal outside the set comes first,
// EINVAL for a bad timeout or sigsetsize; rt_sigqueueinfo's EPERM rule for forged si_code; sigqueue to a child.
#include "jux_test.h"
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

static volatile int alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    siginfo_t info;
    struct timespec zero = {0, 0}, short_wait = {0, 10 * 1000 * 1000};

    printf("-- a pending signal\n");
    raise(SIGUSR2);
    /* The raw call: glibc's sigtimedwait reports SI_TKILL as SI_USER. */
    SHOW_RET(syscall(SYS_rt_sigtimedwait, &set, &info, &zero, 8));
    CHECK(info.si_signo == SIGUSR2);
    CHECK(info.si_code == SI_TKILL);
    CHECK(info.si_pid == getpid());
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 7});
    SHOW_RET(sigwaitinfo(&set, &info));
    CHECK(info.si_code == SI_QUEUE && info.si_value.sival_int == 7);
    raise(SIGUSR1);
    SHOW_RET(sigtimedwait(&set, NULL, &zero));

    printf("-- timeouts\n");
    SHOW_ERR(sigtimedwait(&set, &info, &zero));
    SHOW_ERR(sigtimedwait(&set, &info, &short_wait));

    printf("-- an ignored signal does not end the wait\n");
    signal(SIGALRM, SIG_IGN);
    struct itimerval soon = {{0, 0}, {0, 5000}};
    setitimer(ITIMER_REAL, &soon, NULL);
    struct timespec fifty_ms = {0, 50 * 1000 * 1000};
    SHOW_ERR(sigtimedwait(&set, &info, &fifty_ms));

    printf("-- interrupted by a handled signal\n");
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    /* Periodic, in case the first expiry comes before the wait starts. */
    struct itimerval periodic = {{0, 20000}, {0, 20000}}, off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &periodic, NULL);
    struct timespec long_wait = {5, 0};
    /* The raw call: musl's sigtimedwait retries after EINTR. */
    SHOW_ERR(syscall(SYS_rt_sigtimedwait, &set, &info, &long_wait, 8));
    setitimer(ITIMER_REAL, &off, NULL);
    CHECK(alarms >= 1);
    struct itimerval it = {{0, 0}, {0, 20000}};

    printf("-- a signal that arrives while waiting\n");
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW_RET(sigtimedwait(&set, &info, &long_wait));
    CHECK(info.si_code == SI_KERNEL);

    printf("-- errors\n");
    struct timespec bad = {0, 1000000000};
    SHOW_ERR(sigtimedwait(&set, &info, &bad));
    SHOW_ERR(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4));
    SHOW_ERR(syscall(SYS_rt_sigtimedwait, (void *)8, NULL, &zero, 8));

    printf("-- rt_sigqueueinfo\n");
    siginfo_t forged;
    memset(&forged, 0, sizeof forged);
    forged.si_code = SI_USER;
    SHOW_ERR(syscall(SYS_rt_sigqueueinfo, getpid() + 100000, SIGUSR1, &forged));
    SHOW_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &forged));
    SHOW_RET(syscall(SYS_rt_sigtimedwait, &set, &info, &zero, 8));
    CHECK(info.si_code == SI_USER);
    forged.si_code = SI_QUEUE;
    forged.si_value.sival_int = 99;
    /* A real-time signal nobody else sends (40 is above both libcs' SIGRTMIN). */
    sigaddset(&set, 40);
    sigprocmask(SIG_BLOCK, &set, NULL);
    SHOW_ERR(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), 40, &forged));
    SHOW_RET(syscall(SYS_rt_sigtimedwait, &set, &info, &zero, 8));
    CHECK(info.si_code == SI_QUEUE && info.si_value.sival_int == 99);
    SHOW_ERR(syscall(SYS_rt_tgsigqueueinfo, 0, gettid(), SIGUSR2, &forged));
    SHOW_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8));
    SHOW_ERR(syscall(SYS_rt_sigqueueinfo, getpid(), 65, &forged));

    printf("-- sigqueue to another process\n");
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    int ready[2];
    if (pipe(ready) != 0) return 1;
    pid_t parent = getpid(), child = fork();
    if (child == 0) {
        siginfo_t got;
        char c = 'r';
        if (write(ready[1], &c, 1) != 1) _exit(2);
        int n = sigwaitinfo(&usr1, &got);
        printf("child: signal %d, SI_QUEUE %s, value %d, from the parent %s\n", n, got.si_code == SI_QUEUE ? "yes" : "no",
               got.si_value.sival_int, got.si_pid == parent ? "yes" : "no");
        _exit(0);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 1;
    forged.si_code = SI_USER;
    SHOW_ERR(syscall(SYS_rt_sigqueueinfo, child, SIGUSR1, &forged));
    SHOW_ERR(syscall(SYS_rt_tgsigqueueinfo, child, child, SIGUSR1, &forged));
    // The child prints when the signal arrives: the result is printed after it is reaped.
    int queued = sigqueue(child, SIGUSR1, (union sigval){.sival_int = 1234});
    int queue_errno = errno;
    waitpid(child, NULL, 0);
    printf("sigqueue(child, SIGUSR1, 1234) = %s\n", queued == 0 ? "ok" : errname(queue_errno));
    return 0;
}
