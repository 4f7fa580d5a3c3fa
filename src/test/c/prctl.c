// prctl(2): the command name (PR_SET_NAME cuts at 15 bytes, /proc/self/comm follows),
// dumpable, the parent-death signal, no_new_privs (only ever set), the child subreaper flag,
// the timer slack, seccomp mode and the capability bounding set, and EINVAL for bad values.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/prctl.h>

static void show_comm(void) {
    char buf[32] = {0};
    int fd = open("/proc/self/comm", O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("/proc/self/comm: %.*s", (int)(n > 0 ? n : 0), buf);
}

int main(void) {
    char name[17] = {0};
    SHOW_RET(prctl(PR_SET_NAME, "short", 0, 0, 0));
    SHOW_RET(prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("name: %s\n", name);
    show_comm();
    SHOW_RET(prctl(PR_SET_NAME, "a-name-longer-than-fifteen-bytes", 0, 0, 0));
    memset(name, 'x', sizeof name - 1);
    SHOW_RET(prctl(PR_GET_NAME, name, 0, 0, 0));
    printf("name: %s (%zu bytes)\n", name, strlen(name));
    show_comm();
    SHOW_ERR(prctl(PR_SET_NAME, (char *)1, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    SHOW_RET(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    SHOW_ERR(prctl(PR_SET_DUMPABLE, 2, 0, 0, 0));
    SHOW_RET(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
    int sig = -1;
    SHOW_RET(prctl(PR_SET_PDEATHSIG, 10, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
    printf("pdeathsig: %d\n", sig);
    SHOW_ERR(prctl(PR_SET_PDEATHSIG, 65, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    SHOW_ERR(prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0));
    SHOW_RET(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    int reaper = -1;
    SHOW_RET(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_CHILD_SUBREAPER, &reaper, 0, 0, 0));
    printf("subreaper: %d\n", reaper);
    SHOW_RET(prctl(PR_SET_TIMERSLACK, 100000, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    SHOW_RET(prctl(PR_GET_SECCOMP, 0, 0, 0, 0));
    SHOW_RET(prctl(PR_CAPBSET_READ, 0, 0, 0, 0));
    SHOW_ERR(prctl(PR_CAPBSET_READ, 1000, 0, 0, 0));
    SHOW_ERR(prctl(9999, 0, 0, 0, 0));
    return 0;
}
