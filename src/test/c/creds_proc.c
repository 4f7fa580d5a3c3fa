// Who owns /proc/self and its files (Linux's task_dump_owner): the effective ids, or root
// while the process is not dumpable (after an euid change), except the 0555 directory
// itself; a process may always list its own fd directory.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>

static void show(const char *p, int try_open) {
    struct stat st;
    if (lstat(p, &st) != 0) {
        printf("%s: %s\n", p, errname(errno));
        return;
    }
    printf("%s: mode %o owner %d:%d", p, st.st_mode & 07777, st.st_uid, st.st_gid);
    if (try_open) {
        int fd = open(p, O_RDONLY);
        printf(", open %s", fd >= 0 ? "ok" : errname(errno));
        if (fd >= 0) close(fd);
    }
    printf("\n");
}

static void all(const char *when) {
    printf("-- %s, dumpable %d\n", when, prctl(PR_GET_DUMPABLE));
    show("/proc/self/", 1);
    show("/proc/self/status", 1);
    show("/proc/self/environ", 1);
    show("/proc/self/cmdline", 1);
    show("/proc/self/fd", 1);
    show("/proc/self/cwd", 0);
    show("/proc/self/exe", 0);
}

int main(void) {
    all("root");
    syscall(SYS_setgroups, 0, NULL);
    syscall(SYS_setresgid, 2000, 2000, 2000);
    syscall(SYS_setresuid, 1000, 1000, 0);
    all("uid 1000, not dumpable");
    prctl(PR_SET_DUMPABLE, 1);
    all("uid 1000, dumpable");
    syscall(SYS_setresuid, 0, 0, 0);
    all("root again");
    return 0;
}
