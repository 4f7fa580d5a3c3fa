// The uid/gid system calls as root, then after dropping privileges: Linux's rules of
// kernel/sys.c for setuid, setreuid, setresuid, setfsuid (and the gid twins), getgroups and
// setgroups. Raw system calls throughout, so that libc wrappers change nothing.
#include "jux_test.h"
#include <grp.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>

static void ids(const char *when) {
    unsigned r, e, s, gr, ge, gs;
    syscall(SYS_getresuid, &r, &e, &s);
    syscall(SYS_getresgid, &gr, &ge, &gs);
    // setfsuid(-1) changes nothing and returns the current fsuid.
    unsigned fu = (unsigned)syscall(SYS_setfsuid, -1), fg = (unsigned)syscall(SYS_setfsgid, -1);
    printf("%-28s uid %u/%u/%u fs %u  gid %u/%u/%u fs %u\n", when, r, e, s, fu, gr, ge, gs, fg);
}

static void groups(void) {
    gid_t g[8];
    long n = syscall(SYS_getgroups, 8, g);
    printf("groups (%ld):", n);
    for (long k = 0; k < n; k++) printf(" %u", g[k]);
    printf("\n");
}

/* The Uid/Gid/Groups lines of /proc/self/status. */
static void status(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7)) fputs(line, stdout);
    }
    if (f) fclose(f);
}

int main(void) {
    // Supplementary groups first: the harness's own groups are not the same natively and under Jux.
    gid_t list[] = {300, 100, 200, 100};
    SHOW_RET(syscall(SYS_setgroups, 4, list));
    groups();
    SHOW_RET(syscall(SYS_getgroups, 0, NULL));
    gid_t small[2];
    SHOW_ERR(syscall(SYS_getgroups, 2, small));
    SHOW_ERR(syscall(SYS_getgroups, -1, small));
    SHOW_ERR(syscall(SYS_getgroups, 8, (void *)8));
    SHOW_ERR(syscall(SYS_setgroups, 65537, list));
    SHOW_ERR(syscall(SYS_setgroups, -1, list));
    SHOW_ERR(syscall(SYS_setgroups, 2, (void *)8));
    gid_t bad[] = {5, (gid_t)-1};
    SHOW_ERR(syscall(SYS_setgroups, 2, bad));
    groups();
    gid_t *many = calloc(65536, sizeof(gid_t));
    SHOW_RET(syscall(SYS_setgroups, 65536, many));
    SHOW_RET(syscall(SYS_getgroups, 0, NULL));
    SHOW_RET(syscall(SYS_setgroups, 0, NULL));
    groups();
    SHOW_RET(syscall(SYS_setgroups, 2, list));
    status();

    // getresuid: EFAULT, after the ids before the bad pointer are written.
    unsigned r = 77, e = 77;
    SHOW_ERR(syscall(SYS_getresuid, &r, &e, (void *)8));
    printf("written before the fault: %u %u\n", r, e);
    SHOW_ERR(syscall(SYS_getresgid, (void *)8, &r, &e));

    ids("start");
    SHOW_ERR(syscall(SYS_setuid, -1));
    SHOW_ERR(syscall(SYS_setgid, -1));
    SHOW_ERR(syscall(SYS_setresuid, -1, -1, -1));
    SHOW_ERR(syscall(SYS_setreuid, -1, -1));

    // Root may set any combination.
    SHOW_ERR(syscall(SYS_setresgid, 10, 20, 30));
    ids("setresgid(10,20,30)");
    SHOW_ERR(syscall(SYS_setregid, -1, 40));
    ids("setregid(-1,40)");
    SHOW_ERR(syscall(SYS_setregid, 50, -1));
    ids("setregid(50,-1)");
    SHOW_RET(syscall(SYS_setfsgid, 60));
    ids("setfsgid(60)");
    SHOW_ERR(syscall(SYS_setgid, 0));
    ids("setgid(0)");

    // setres*id that changes nothing returns early and leaves a differing fs id; others reset it.
    syscall(SYS_setfsuid, 7);
    syscall(SYS_setfsgid, 7);
    SHOW_ERR(syscall(SYS_setresuid, -1, -1, -1));
    SHOW_ERR(syscall(SYS_setresgid, 0, -1, 0));
    ids("no-op setres*id");
    SHOW_ERR(syscall(SYS_setreuid, -1, -1));
    SHOW_ERR(syscall(SYS_setresgid, -1, 0, -1));
    ids("setreuid(-1,-1)");

    SHOW_ERR(syscall(SYS_setresuid, 1, 2, 0));
    ids("setresuid(1,2,0)");
    printf("dumpable after euid change: %d\n", prctl(PR_GET_DUMPABLE));
    // euid 2 is unprivileged: only the current ids are allowed.
    SHOW_ERR(syscall(SYS_setresuid, 5, -1, -1));
    SHOW_ERR(syscall(SYS_setgroups, 0, NULL));
    SHOW_ERR(syscall(SYS_setgid, 7));
    SHOW_ERR(syscall(SYS_setuid, 7));
    SHOW_RET(syscall(SYS_setfsuid, 7));
    ids("setfsuid(7) refused");
    SHOW_RET(syscall(SYS_setfsuid, 1));
    ids("setfsuid(1)");
    SHOW_ERR(syscall(SYS_setresuid, 2, 1, -1));
    ids("setresuid(2,1,-1)");
    SHOW_ERR(syscall(SYS_setreuid, -1, 0));
    ids("setreuid(-1,0) (saved 0)");
    // Privileged again.
    SHOW_ERR(syscall(SYS_setreuid, 3, -1));
    ids("setreuid(3,-1)");
    SHOW_ERR(syscall(SYS_setreuid, -1, 3));
    ids("setreuid(-1,3)");
    SHOW_ERR(syscall(SYS_setreuid, -1, 0));
    SHOW_ERR(syscall(SYS_setreuid, 3, 3));
    ids("setreuid(3,3)");
    SHOW_ERR(syscall(SYS_setuid, 0));

    // Back to root through a fresh start is impossible now: every uid is 3.
    SHOW_ERR(syscall(SYS_setresgid, 0, 0, 0));
    SHOW_ERR(syscall(SYS_setfsuid, 0));
    ids("after the drop");
    SHOW_ERR(syscall(SYS_setuid, 3));
    SHOW_ERR(syscall(SYS_setresuid, -1, 3, -1));
    SHOW_ERR(syscall(SYS_setregid, 50, 0));
    ids("setregid(50,0)");
    SHOW_ERR(syscall(SYS_setregid, 0, -1));
    SHOW_ERR(syscall(SYS_setgid, 50));
    ids("setgid(50)");
    SHOW_RET(syscall(SYS_setfsgid, 0));
    ids("setfsgid(0) (saved 0)");
    groups();
    status();
    SHOW_RET(getuid());
    SHOW_RET(geteuid());
    SHOW_RET(getgid());
    SHOW_RET(getegid());
    return 0;
}
