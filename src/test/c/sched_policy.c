// sched_getscheduler/setscheduler/getparam/setparam, the priority ranges and
// sched_rr_get_interval: SCHED_OTHER/BATCH/IDLE with priority 0, FIFO/RR with 1..99 as root,
// EINVAL for bad policies and priorities, NULL or negative arguments, ESRCH, EFAULT; EPERM
// for a non-root FIFO and for leaving SCHED_IDLE; SCHED_RESET_ON_FORK resets the child.
#include "jux_test.h"
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>

#ifndef SCHED_BATCH
#define SCHED_BATCH 3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE 5
#endif
#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static long set_sched(pid_t pid, int policy, int prio) {
    struct sched_param p = { .sched_priority = prio };
    return syscall(SYS_sched_setscheduler, pid, policy, &p);
}

static int get_prio(pid_t pid) {
    struct sched_param p = { .sched_priority = -7 };
    if (syscall(SYS_sched_getparam, pid, &p) != 0) return -100 - errno;
    return p.sched_priority;
}

int main(void) {
    int policies[] = {SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, 6, 4, 7, -1};
    for (unsigned i = 0; i < sizeof policies / sizeof *policies; i++) {
        errno = 0;
        long mx = syscall(SYS_sched_get_priority_max, policies[i]);
        int e1 = errno;
        errno = 0;
        long mn = syscall(SYS_sched_get_priority_min, policies[i]);
        printf("policy %d: max %ld %s, min %ld %s\n", policies[i], mx, errname(e1), mn, errname(errno));
    }
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));
    printf("priority: %d\n", get_prio(0));
    SHOW_ERR(syscall(SYS_sched_getscheduler, -1));
    SHOW_ERR(syscall(SYS_sched_getscheduler, 999999));
    SHOW_ERR(syscall(SYS_sched_getparam, 0, NULL));
    SHOW_ERR(syscall(SYS_sched_getparam, -1, NULL));
    SHOW_ERR(syscall(SYS_sched_getparam, 0, (void *)8));
    SHOW_ERR(syscall(SYS_sched_getparam, 999999, (void *)8));

    SHOW_ERR(set_sched(0, SCHED_OTHER, 1));
    SHOW_ERR(set_sched(0, SCHED_FIFO, 0));
    SHOW_ERR(set_sched(0, SCHED_FIFO, 100));
    SHOW_ERR(set_sched(0, SCHED_RR, -1));
    SHOW_ERR(set_sched(0, 4, 0));
    SHOW_ERR(set_sched(0, 6, 0));
    SHOW_ERR(set_sched(0, -1, 0));
    SHOW_ERR(set_sched(-1, SCHED_OTHER, 0));
    SHOW_ERR(set_sched(999999, SCHED_OTHER, 0));
    SHOW_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    SHOW_ERR(syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, (void *)8));

    SHOW_ERR(set_sched(0, SCHED_BATCH, 0));
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));
    SHOW_ERR(set_sched(0, SCHED_FIFO, 10));
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));
    printf("priority: %d\n", get_prio(0));
    struct timespec ts = {7, 7};
    SHOW_ERR(syscall(SYS_sched_rr_get_interval, 0, &ts));
    printf("FIFO interval: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
    struct sched_param sp = { .sched_priority = 42 };
    SHOW_ERR(syscall(SYS_sched_setparam, 0, &sp));
    printf("priority after setparam: %d\n", get_prio(0));
    sp.sched_priority = 0;
    SHOW_ERR(syscall(SYS_sched_setparam, 0, &sp));
    SHOW_ERR(syscall(SYS_sched_setparam, 0, NULL));
    SHOW_ERR(set_sched(0, SCHED_RR, 99));
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));
    SHOW_ERR(syscall(SYS_sched_rr_get_interval, 0, &ts));
    printf("RR interval positive: %s\n", ts.tv_sec > 0 || ts.tv_nsec > 0 ? "yes" : "no");
    SHOW_ERR(syscall(SYS_sched_rr_get_interval, -1, &ts));
    SHOW_ERR(syscall(SYS_sched_rr_get_interval, 999999, &ts));
    SHOW_ERR(syscall(SYS_sched_rr_get_interval, 0, (void *)8));

    /* Reset on fork: the child of an RR thread starts as SCHED_OTHER with the flag cleared. */
    SHOW_ERR(set_sched(0, SCHED_RR | SCHED_RESET_ON_FORK, 5));
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: policy %ld priority %d\n", syscall(SYS_sched_getscheduler, 0), get_prio(0));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    SHOW_ERR(set_sched(0, SCHED_OTHER, 0));
    SHOW_RET(syscall(SYS_sched_getscheduler, 0));

    /* Without privileges. */
    pid_t parent = getpid();
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        if (setresuid(65534, 65534, 65534) != 0) printf("setresuid failed\n");
        SHOW_ERR(set_sched(0, SCHED_FIFO, 1));
        SHOW_ERR(set_sched(0, SCHED_BATCH, 0));
        SHOW_ERR(set_sched(parent, SCHED_BATCH, 0));
        SHOW_RET(syscall(SYS_sched_getscheduler, parent));
        SHOW_ERR(set_sched(0, SCHED_IDLE, 0));
        SHOW_ERR(set_sched(0, SCHED_OTHER, 0));
        SHOW_RET(syscall(SYS_sched_getscheduler, 0));
        SHOW_ERR(set_sched(0, SCHED_IDLE | SCHED_RESET_ON_FORK, 0));
        SHOW_ERR(set_sched(0, SCHED_IDLE, 0));
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    return 0;
}
