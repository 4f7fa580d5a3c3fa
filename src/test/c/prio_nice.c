// getpriority/setpriority and nice: PRIO_PROCESS/PGRP/USER, the raw syscall's 20 - nice
// result, clamping to -20..19, EINVAL for a bad "which", ESRCH; per-thread values; children
// inherit; a non-root user may raise its nice value but not lower it (EACCES) and may not
// touch root's processes (EPERM); /proc/self/stat's priority and nice fields follow.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void stat_fields(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { printf("%s: cannot open\n", path); return; }
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    printf("%s priority %lld nice %lld\n", strchr(path, '/') == path ? "stat" : path, stat_field(buf, 18), stat_field(buf, 19));
}

static int thread_nice = 99;
static void *thread_main(void *arg) {
    (void)arg;
    errno = 0;
    thread_nice = getpriority(PRIO_PROCESS, 0);
    setpriority(PRIO_PROCESS, 0, 7);   /* this thread only */
    return NULL;
}

int main(void) {
    /* PRIO_PGRP below renices the whole process group: natively that would be the test
     * harness's too, so move into a group of our own (Jux's pid 1 already leads one). */
    if (getsid(0) != getpid()) setpgid(0, 0);
    /* The starting value is inherited from whoever ran the test: start from 0. */
    SHOW_ERR(setpriority(PRIO_PROCESS, 0, 0));
    SHOW_RET(syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));
    SHOW_RET(getpriority(PRIO_PGRP, 0));
    SHOW_ERR(getpriority(3, 0));
    SHOW_ERR(getpriority(-1, 0));
    SHOW_ERR(getpriority(PRIO_PROCESS, 999999));
    SHOW_ERR(getpriority(PRIO_PGRP, 999999));
    SHOW_ERR(getpriority(PRIO_USER, 12345));
    SHOW_ERR(setpriority(PRIO_PROCESS, 999999, 1));
    SHOW_ERR(setpriority(5, 0, 1));

    SHOW_ERR(setpriority(PRIO_PROCESS, 0, 5));
    SHOW_RET(syscall(SYS_getpriority, PRIO_PROCESS, 0));
    SHOW_RET(getpriority(PRIO_PROCESS, getpid()));
    stat_fields("/proc/self/stat");
    SHOW_ERR(setpriority(PRIO_PROCESS, 0, 100));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));
    SHOW_ERR(setpriority(PRIO_PROCESS, 0, -100));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));
    stat_fields("/proc/self/stat");
    SHOW_ERR(setpriority(PRIO_PGRP, 0, 3));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));
    errno = 0;
    SHOW_RET(nice(2));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));

    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    printf("thread started with nice %d\n", thread_nice);
    SHOW_RET(getpriority(PRIO_PROCESS, 0));

    SHOW_ERR(setpriority(PRIO_PROCESS, 0, 4));
    pid_t parent = getpid();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        SHOW_RET(getpriority(PRIO_PROCESS, 0));
        if (setresuid(65534, 65534, 65534) != 0) printf("setresuid failed\n");
        SHOW_ERR(setpriority(PRIO_PROCESS, 0, 6));
        SHOW_RET(getpriority(PRIO_PROCESS, 0));
        SHOW_ERR(setpriority(PRIO_PROCESS, 0, 2));
        errno = 0;
        SHOW_RET(nice(-1));
        SHOW_RET(getpriority(PRIO_PROCESS, 0));
        SHOW_ERR(setpriority(PRIO_PROCESS, parent, 10));
        SHOW_RET(getpriority(PRIO_PROCESS, parent));
        SHOW_RET(getpriority(PRIO_USER, 65534));
        SHOW_ERR(setpriority(PRIO_USER, 0, 8));
        SHOW_RET(getpriority(PRIO_PROCESS, 0));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    SHOW_ERR(setpriority(PRIO_PROCESS, 0, -5));
    SHOW_RET(getpriority(PRIO_PROCESS, 0));
    stat_fields("/proc/self/stat");
    return 0;
}
