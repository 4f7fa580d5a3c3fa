// capget(2) and capset(2): version probing (an unknown version is answered with v3), v1 moves
// one word per set, pid 0, another process and bad pids, the sets agreeing with
// /proc/self/status and /proc/sys/kernel/cap_last_cap, capset's EPERM rules and a capset that
// keeps the sets, and the sets of a process that left uid 0. Only relations and capabilities
// every container root keeps (CHOWN, DAC_OVERRIDE, KILL, SETGID, SETUID) are printed.
#include "jux_test.h"
#include <stdint.h>
#include <sys/wait.h>

#define V1 0x19980330
#define V3 0x20080522

struct header {
    uint32_t version;
    int pid;
};
struct data {
    uint32_t effective, permitted, inheritable;
};

static long capget(struct header *h, struct data *d) { return syscall(SYS_capget, h, d); }
static long capset(struct header *h, struct data *d) { return syscall(SYS_capset, h, d); }

static uint64_t word(struct data *d, int which) {
    uint32_t *lo = (uint32_t *)&d[0], *hi = (uint32_t *)&d[1];
    return lo[which] | (uint64_t)hi[which] << 32;
}

static uint64_t status_mask(const char *name) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    uint64_t v = ~0ull;
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, name, strlen(name)) == 0) v = strtoull(line + strlen(name) + 1, NULL, 16);
    }
    if (f) fclose(f);
    return v;
}

static const char *yesno(int b) { return b ? "yes" : "no"; }

static void show_mine(const char *who) {
    struct header h = {V3, 0};
    struct data d[2];
    SHOW_ERR(capget(&h, d));
    uint64_t e = word(d, 0), p = word(d, 1), i = word(d, 2);
    uint64_t common = 1 << 0 | 1 << 1 | 1 << 5 | 1 << 6 | 1 << 7;
    printf("%s: effective == permitted %s, inheritable empty %s, common ones effective %s, none effective %s\n", who,
           yesno(e == p), yesno(i == 0), yesno((e & common) == common), yesno(e == 0));
    printf("%s: agrees with /proc/self/status %s\n", who,
           yesno(e == status_mask("CapEff:") && p == status_mask("CapPrm:") && i == status_mask("CapInh:")));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- versions\n");
    struct header h = {V3, 0};
    SHOW_ERR(capget(&h, NULL));
    printf("version kept: %s\n", yesno(h.version == V3));
    h.version = 0x1234;
    SHOW_ERR(capget(&h, NULL));
    printf("unknown version answered with v3: %s\n", yesno(h.version == V3));
    struct data d[2];
    h.version = 0x1234;
    SHOW_ERR(capget(&h, d));
    printf("unknown version answered with v3: %s\n", yesno(h.version == V3));
    h.version = V1;
    memset(d, 0xa5, sizeof d);
    SHOW_ERR(capget(&h, d));
    printf("v1 leaves the second word alone: %s\n", yesno(d[1].effective == 0xa5a5a5a5 && d[1].inheritable == 0xa5a5a5a5));
    SHOW_ERR(capget((struct header *)8, d));
    h.version = V3;
    SHOW_ERR(capget(&h, (struct data *)8));

    printf("-- pids\n");
    h.pid = -1;
    SHOW_ERR(capget(&h, d));
    pid_t gone = fork();
    if (gone == 0) _exit(0);
    waitpid(gone, NULL, 0);
    h.pid = gone;
    SHOW_ERR(capget(&h, d));
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    struct data mine[2], theirs[2];
    h.pid = 0;
    capget(&h, mine);
    h.pid = child;
    SHOW_ERR(capget(&h, theirs));
    printf("the child's sets are mine: %s\n", yesno(memcmp(mine, theirs, sizeof mine) == 0));
    h.pid = getpid();
    SHOW_ERR(capget(&h, theirs));
    printf("my pid is pid 0: %s\n", yesno(memcmp(mine, theirs, sizeof mine) == 0));

    printf("-- sets\n");
    show_mine("me");
    FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
    int last = -1;
    if (f && fscanf(f, "%d", &last) != 1) last = -1;
    if (f) fclose(f);
    printf("cap_last_cap: %d\n", last);

    printf("-- capset\n");
    h.pid = child;
    SHOW_ERR(capset(&h, mine));
    h.pid = 0;
    SHOW_ERR(capset(&h, mine));
    h.version = 0x1234;
    SHOW_ERR(capset(&h, mine));
    printf("unknown version answered with v3: %s\n", yesno(h.version == V3));
    struct data bad[2] = {{1 << 7, 0, 0}, {0, 0, 0}};
    SHOW_ERR(capset(&h, bad));    /* effective outside permitted */
    SHOW_ERR(capset(&h, (struct data *)8));
    show_mine("after capset");
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    printf("-- after leaving uid 0\n");
    if (geteuid() != 0) {
        printf("not root: nothing to leave\n");
        return 0;
    }
    pid_t p = fork();
    if (p == 0) {
        if (setresuid(0, 65534, 0) != 0) _exit(1);
        show_mine("euid 65534, saved 0");
        if (setresuid(65534, 65534, 65534) != 0) _exit(1);
        show_mine("all 65534");
        h.version = V3;
        struct data none[2] = {{0, 0, 0}, {0, 0, 0}};
        SHOW_ERR(capset(&h, none));
        _exit(0);
    }
    waitpid(p, NULL, 0);
    return 0;
}
