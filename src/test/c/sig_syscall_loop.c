// Signals that arrive while a thread does nothing but system calls (a getppid loop): each must
// be delivered on a return from the kernel soon after it was sent, whoever sent it. Covers
// the kernel's lock-free "nothing to deliver" check after a system call: a signal from another
// thread (tgkill), a process-directed one (kill, from a thread that blocks it), a timer's
// SIGALRM, a blocked one unblocked by sigprocmask (delivered before sigprocmask returns), a
// raise (delivered before raise returns), and sigsuspend's saved mask put back afterwards.
// timeout: 60
#include "jux_test.h"
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>

static volatile sig_atomic_t got_usr1, got_usr2, got_alrm, order;
static volatile int usr1_order;
static pthread_t main_thread;

static void on_usr1(int sig) {
    (void) sig;
    got_usr1++;
    usr1_order = ++order;
}
static void on_usr2(int sig) {
    (void) sig;
    got_usr2++;
}
static void on_alrm(int sig) {
    (void) sig;
    got_alrm++;
}

/* Calls getppid until *flag is set; false if it never was (a lost signal). */
static int spin_until(volatile sig_atomic_t *flag) {
    for (long i = 0; i < 200000000L; i++) {
        if (*flag) return 1;
        syscall(SYS_getppid);
    }
    return 0;
}

static void *send_usr1(void *arg) {
    (void) arg;
    usleep(20000);
    pthread_kill(main_thread, SIGUSR1);
    return NULL;
}

static void *send_usr2_to_process(void *arg) {
    (void) arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL);   // so that the spinning main thread takes it
    usleep(20000);
    kill(getpid(), SIGUSR2);
    return NULL;
}

int main(void) {
    main_thread = pthread_self();
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    signal(SIGALRM, on_alrm);

    pthread_t t;
    pthread_create(&t, NULL, send_usr1, NULL);
    printf("tgkill from another thread delivered: %s\n", spin_until(&got_usr1) ? "yes" : "no");
    pthread_join(t, NULL);

    pthread_create(&t, NULL, send_usr2_to_process, NULL);
    printf("kill to the process delivered: %s\n", spin_until(&got_usr2) ? "yes" : "no");
    pthread_join(t, NULL);

    struct itimerval it = {.it_value = {.tv_usec = 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    printf("SIGALRM delivered: %s\n", spin_until(&got_alrm) ? "yes" : "no");

    // Blocked: stays pending through many system calls, then comes before sigprocmask returns.
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, &old);
    got_usr1 = 0;
    raise(SIGUSR1);
    for (int i = 0; i < 10000; i++) syscall(SYS_getppid);
    printf("blocked: not delivered: %s\n", got_usr1 == 0 ? "yes" : "no");
    sigset_t pending;
    sigpending(&pending);
    printf("blocked: pending: %s\n", sigismember(&pending, SIGUSR1) ? "yes" : "no");
    order = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    int after_unblock = ++order;
    printf("unblocked: delivered before sigprocmask returned: %s\n",
           got_usr1 == 1 && usr1_order < after_unblock ? "yes" : "no");

    // raise: the handler runs before raise returns.
    got_usr1 = 0;
    order = 0;
    raise(SIGUSR1);
    int after_raise = ++order;
    printf("raise: delivered before it returned: %s\n", got_usr1 == 1 && usr1_order < after_raise ? "yes" : "no");

    // sigsuspend: its temporary mask goes away once the handler ran; the old one comes back.
    sigprocmask(SIG_BLOCK, &s, NULL);
    got_usr1 = 0;
    pthread_create(&t, NULL, send_usr1, NULL);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    int r = sigsuspend(&wait_mask);
    printf("sigsuspend: %d %s, handler ran: %s\n", r, errname(errno), got_usr1 == 1 ? "yes" : "no");
    pthread_join(t, NULL);
    for (int i = 0; i < 1000; i++) syscall(SYS_getppid);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsuspend: SIGUSR1 blocked again: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
    return 0;
}
