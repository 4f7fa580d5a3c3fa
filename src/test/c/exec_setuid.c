// A set-user-ID and a set-group-ID program run with the file's owner/group as effective
// (and saved) ids, AT_SECURE 1; the real ids stay. no_new_privs turns the set-id bits off.
// A plain exec by a non-root user keeps everything and AT_SECURE 0.
#include "jux_test.h"
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void show(const char *what) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    getresuid(&r, &e, &s);
    getresgid(&gr, &ge, &gs);
    printf("%s: uid %u/%u/%u gid %u/%u/%u secure %lu\n", what, r, e, s, gr, ge, gs, getauxval(AT_SECURE));
}

static void copy_self(const char *to, mode_t mode, uid_t owner, gid_t group) {
    int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0700);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
    close(in);
    close(out);
    CHECK(chown(to, owner, group) == 0);
    CHECK(chmod(to, mode) == 0);   // after chown, which clears set-id bits
}

static int run_as(const char *path, const char *tag, int no_new_privs) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) {
        if (setresgid(2000, 2000, 2000) != 0 || setgroups(0, NULL) != 0 || setresuid(1000, 1000, 1000) != 0) _exit(90);
        if (no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(91);
        execl(path, path, tag, (char *)NULL);
        _exit(92);
    }
    int st;
    waitpid(c, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv) {
    if (argc > 1) {
        show(argv[1]);
        return 0;
    }
    char dir[] = "/tmp/jux-setuid-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    chmod(dir, 0755);
    char suid[64], sgid[64], plain[64];
    snprintf(suid, sizeof suid, "%s/suid", dir);
    snprintf(sgid, sizeof sgid, "%s/sgid", dir);
    snprintf(plain, sizeof plain, "%s/plain", dir);
    copy_self(suid, 04755, 0, 0);
    copy_self(sgid, 02755, 0, 3000);
    copy_self(plain, 0755, 0, 0);
    printf("set-uid child: %d\n", run_as(suid, "set-uid", 0));
    printf("set-gid child: %d\n", run_as(sgid, "set-gid", 0));
    printf("plain child: %d\n", run_as(plain, "plain", 0));
    printf("no_new_privs child: %d\n", run_as(suid, "no_new_privs", 1));
    unlink(suid);
    unlink(sgid);
    unlink(plain);
    rmdir(dir);
    return 0;
}
