// Thread exit: pthread_exit in a thread leaves the others running; the leader ending by
// SYS_exit leaves the process alive until its last thread ends (zombie leader), and the
// process then reports the leader's status; exit_group from a thread (exit()) ends every thread at once, in a child.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

static void *quitter(void *arg) {
    (void)arg;
    pthread_exit((void *)7);
    return NULL;
}

static void *spinner(void *arg) {
    (void)arg;
    for (;;) pause();
    return NULL;
}

static void *ender(void *arg) {
    (void)arg;
    exit(42);   /* exit_group: kills main and the spinners */
}

static void *last_one(void *arg) {
    (void)arg;
    struct timespec t = {0, 50 * 1000 * 1000};
    nanosleep(&t, NULL);
    printf("last thread: process still alive after the leader's exit\n");
    fflush(stdout);
    syscall(SYS_exit, 6);   /* the process ends with the leader's status, 4 */
    return NULL;
}

static int run_child(void (*body)(void)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        body();
        _exit(99);
    }
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static void group_exit_body(void) {
    pthread_t s[3], e;
    for (int i = 0; i < 3; i++) pthread_create(&s[i], NULL, spinner, NULL);
    pthread_create(&e, NULL, ender, NULL);
    for (;;) pause();
}

static void leader_exit_body(void) {
    pthread_t t;
    pthread_create(&t, NULL, last_one, NULL);
    syscall(SYS_exit, 4);   /* the leader ends first: a zombie leader until the last thread goes */
}

static void raw_exit_body(void) {
    /* SYS_exit from the only thread ends the process with its status. */
    syscall(SYS_exit, 5);
}

int main(void) {
    pthread_t t;
    void *ret;
    pthread_create(&t, NULL, quitter, NULL);
    pthread_join(t, &ret);
    printf("pthread_exit value: %ld\n", (long)(intptr_t)ret);

    int st = run_child(group_exit_body);
    printf("exit() from a thread: exited=%d code=%d\n", WIFEXITED(st), WEXITSTATUS(st));
    st = run_child(leader_exit_body);
    printf("leader SYS_exit(4) then last thread SYS_exit(6): exited=%d code=%d\n", WIFEXITED(st), WEXITSTATUS(st));
    st = run_child(raw_exit_body);
    printf("SYS_exit alone: exited=%d code=%d\n", WIFEXITED(st), WEXITSTATUS(st));
    return 0;
}
