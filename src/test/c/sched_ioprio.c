// ioprio_get/ioprio_set (ionice): per-thread I/O priorities with Linux's checks: the class
// and level rules (NONE takes no level, RT needs CAP_SYS_NICE, classes past IDLE are EINVAL),
// IOPRIO_WHO_PROCESS returning the raw value set (0 when never set), IOPRIO_WHO_PGRP the
// best effective priority of the group (an unset one counts as BE with a level from its nice
// value), inheritance by fork and threads, other processes (EPERM for another user's), ESRCH.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define PRIO(class, data) (((class) << 13) | (data))
#define NONE 0
#define RT 1
#define BE 2
#define IDLE 3

static long ioget(int which, int who) {
    return syscall(SYS_ioprio_get, which, who);
}

static long ioset(int which, int who, int prio) {
    return syscall(SYS_ioprio_set, which, who, prio);
}

static void show_get(const char *what, int which, int who) {
    long r = ioget(which, who);
    if (r < 0) printf("%s: %s\n", what, errname(errno));
    else printf("%s: class %ld level %ld (%#lx)\n", what, r >> 13, r & 0x1fff, r);
}

static void show_set(const char *what, int which, int who, int prio) {
    long r = ioset(which, who, prio);
    printf("%s: %s\n", what, r == 0 ? "ok" : errname(errno));
}

static void *thread_main(void *arg) {
    (void) arg;
    show_get("thread inherits", WHO_PROCESS, 0);
    show_set("thread sets IDLE", WHO_PROCESS, 0, PRIO(IDLE, 0));
    show_get("thread now", WHO_PROCESS, 0);
    return NULL;
}

int main(void) {
    setpgid(0, 0);   // a group of our own, so that PGRP results do not depend on the caller
    show_get("never set", WHO_PROCESS, 0);
    show_get("own group, unset, nice 0", WHO_PGRP, 0);
    setpriority(PRIO_PROCESS, 0, 10);
    show_get("own group, unset, nice 10", WHO_PGRP, 0);
    setpriority(PRIO_PROCESS, 0, 0);

    show_set("BE 3", WHO_PROCESS, 0, PRIO(BE, 3));
    show_get("after BE 3", WHO_PROCESS, getpid());
    show_get("group after BE 3", WHO_PGRP, getpgrp());
    show_set("BE 7", WHO_PROCESS, 0, PRIO(BE, 7));
    show_set("RT 0 as root", WHO_PROCESS, 0, PRIO(RT, 0));
    show_get("after RT 0", WHO_PROCESS, 0);
    show_set("IDLE 5", WHO_PROCESS, 0, PRIO(IDLE, 5));
    show_get("after IDLE 5", WHO_PROCESS, 0);
    show_set("NONE 0", WHO_PROCESS, 0, PRIO(NONE, 0));
    show_get("after NONE 0", WHO_PROCESS, 0);
    show_set("NONE 1", WHO_PROCESS, 0, PRIO(NONE, 1));
    show_set("BE with hint bits (8)", WHO_PROCESS, 0, PRIO(BE, 8));
    show_get("after BE 8", WHO_PROCESS, 0);
    show_set("BE with bit 16", WHO_PROCESS, 0, PRIO(BE, 1) | 0x10000);
    show_get("after bit 16", WHO_PROCESS, 0);
    show_set("negative", WHO_PROCESS, 0, -1);
    show_set("class 4", WHO_PROCESS, 0, PRIO(4, 0));
    show_set("class 7", WHO_PROCESS, 0, PRIO(7, 0));
    show_set("which 0", 0, 0, PRIO(BE, 1));
    show_set("which 4", 4, 0, PRIO(BE, 1));
    show_get("get which 0", 0, 0);
    show_set("no such pid", WHO_PROCESS, 999999, PRIO(BE, 1));
    show_get("get no such pid", WHO_PROCESS, 999999);
    show_get("get no such group", WHO_PGRP, 999999);
    show_get("get user without processes", WHO_USER, 12345);
    show_set("set user without processes", WHO_USER, 12345, PRIO(BE, 1));

    // Threads inherit the creator's value and have their own.
    show_set("BE 2 before the thread", WHO_PROCESS, 0, PRIO(BE, 2));
    pthread_t th;
    pthread_create(&th, NULL, thread_main, NULL);
    pthread_join(th, NULL);
    show_get("main thread keeps", WHO_PROCESS, 0);

    // fork inherits; the parent can change its child; the group takes the best of both.
    int go[2], done[2];
    pipe(go);
    pipe(done);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char c;
        show_get("child inherits", WHO_PROCESS, 0);
        write(done[1], "x", 1);
        read(go[0], &c, 1);
        show_get("child after the parent set it", WHO_PROCESS, 0);
        fflush(stdout);
        write(done[1], "x", 1);
        read(go[0], &c, 1);
        _exit(0);
    }
    char c;
    read(done[0], &c, 1);
    show_set("parent sets the child RT 1", WHO_PROCESS, child, PRIO(RT, 1));
    write(go[1], "x", 1);
    read(done[0], &c, 1);
    show_get("group: best of BE 2 and RT 1", WHO_PGRP, 0);
    show_set("set the whole group BE 6", WHO_PGRP, 0, PRIO(BE, 6));
    show_get("child after the group set", WHO_PROCESS, child);
    write(go[1], "x", 1);
    waitpid(child, NULL, 0);

    // Another user's process: EPERM; and RT is EPERM for a non-root caller.
    fflush(stdout);
    child = fork();
    if (child == 0) {
        setuid(65534);
        show_set("nobody: RT", WHO_PROCESS, 0, PRIO(RT, 0));
        show_set("nobody: BE 1 on itself", WHO_PROCESS, 0, PRIO(BE, 1));
        show_set("nobody: on root's process", WHO_PROCESS, getppid(), PRIO(BE, 1));
        show_get("nobody: reads root's process", WHO_PROCESS, getppid());
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    return 0;
}
