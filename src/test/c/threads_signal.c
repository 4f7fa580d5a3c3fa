// Signals and threads: a process-directed signal (kill) is handled by the one thread that
// does not block it; tgkill reaches a chosen thread; pthread_kill; a fatal signal sent to the
// process kills every thread; pthread_cancel of a thread blocked in a cancellation point.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static volatile pid_t handled_by;
static volatile int handled;
static pid_t receiver_tid, other_tid;
static pthread_barrier_t ready;

static void on_usr1(int sig) {
    (void)sig;
    handled_by = (pid_t)syscall(SYS_gettid);
    handled++;
}

static void *receiver(void *arg) {
    (void)arg;
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    receiver_tid = (pid_t)syscall(SYS_gettid);
    pthread_barrier_wait(&ready);
    while (handled < 3) usleep(1000);
    return NULL;
}

static void *blocker(void *arg) {
    (void)arg;
    other_tid = (pid_t)syscall(SYS_gettid);
    pthread_barrier_wait(&ready);
    while (handled < 3) usleep(1000);
    return NULL;
}

static void *sleeper(void *arg) {
    (void)arg;
    for (;;) sleep(10);
    return NULL;
}

static void fatal_body(void) {
    pthread_t t[3];
    for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, sleeper, NULL);
    kill(getpid(), SIGTERM);
    for (;;) pause();
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);   /* main and blocker (inherits) block it */
    pthread_barrier_init(&ready, NULL, 3);
    pthread_t r, b;
    pthread_create(&r, NULL, receiver, NULL);
    pthread_create(&b, NULL, blocker, NULL);
    pthread_barrier_wait(&ready);

    kill(getpid(), SIGUSR1);
    while (handled < 1) usleep(1000);
    printf("kill: handled by the unblocked thread: %s\n", handled_by == receiver_tid ? "yes" : "no");
    syscall(SYS_tgkill, getpid(), receiver_tid, SIGUSR1);
    while (handled < 2) usleep(1000);
    printf("tgkill: handled by the target: %s\n", handled_by == receiver_tid ? "yes" : "no");
    pthread_kill(r, SIGUSR1);
    while (handled < 3) usleep(1000);
    printf("pthread_kill: handled by the target: %s\n", handled_by == receiver_tid ? "yes" : "no");
    pthread_join(r, NULL);
    pthread_join(b, NULL);
    SHOW_ERR(syscall(SYS_tgkill, getpid(), receiver_tid, 0));   /* gone: ESRCH */
    SHOW_ERR(syscall(SYS_tgkill, getpid() + 100000, (int)syscall(SYS_gettid), 0));
    SHOW_ERR(syscall(SYS_tgkill, getpid(), (int)syscall(SYS_gettid), 0));

    pthread_t c;
    pthread_create(&c, NULL, sleeper, NULL);
    usleep(20000);
    pthread_cancel(c);
    void *ret;
    pthread_join(c, &ret);
    printf("cancelled: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no");

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) fatal_body();
    int st;
    waitpid(pid, &st, 0);
    printf("SIGTERM to a 4-thread process: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
    return 0;
}
