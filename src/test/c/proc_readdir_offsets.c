// getdents64 on /proc/self/fd and /proc while entries go away between calls: Linux places an
// fd at offset fd + 2 and a process at TGID_OFFSET + pid, so closing fds or reaping children
// already listed never hides the ones not yet listed (python's subprocess closes fds while it
// reads /proc/self/fd with a small buffer). Also: named /proc entries come before the pids.
#include "jux_test.h"
#include <dirent.h>
#include <stdint.h>
#include <sys/wait.h>

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int numeric(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) if (*s < '0' || *s > '9') return 0;
    return 1;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("-- /proc/self/fd, closing what was listed\n");
    int mine[20];
    char is_mine[256] = {0};
    for (int i = 0; i < 20; i++) {
        mine[i] = open("/dev/null", O_RDONLY);
        if (mine[i] >= 0 && mine[i] < 256) is_mine[mine[i]] = 1;
    }
    int dir = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
    char seen[256] = {0};
    char buf[128] __attribute__((aligned(8)));   /* room for about three entries per call */
    long n;
    int calls = 0;
    while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        calls++;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
            off += d->d_reclen;
            if (!numeric(d->d_name)) continue;
            int fd = atoi(d->d_name);
            if (fd < 256) seen[fd] = 1;
            if (fd < 256 && is_mine[fd]) close(fd);
        }
    }
    int all = 1;
    for (int i = 0; i < 20; i++) all &= mine[i] >= 0 && mine[i] < 256 && seen[mine[i]];
    printf("more than one getdents call: %s\n", calls > 1 ? "yes" : "no");
    printf("all 20 fds listed although the ones before them were closed: %s\n", all ? "yes" : "no");
    close(dir);

    printf("-- /proc, reaping what was listed\n");
    pid_t kids[12];
    int pipefd[2];
    if (pipe(pipefd) != 0) return 1;
    for (int i = 0; i < 12; i++) {
        kids[i] = fork();
        if (kids[i] == 0) {
            char c;
            close(pipefd[1]);
            if (read(pipefd[0], &c, 1) < 0) _exit(1);
            _exit(0);
        }
    }
    close(pipefd[0]);
    dir = open("/proc", O_RDONLY | O_DIRECTORY);
    int listed[12] = {0}, named_after_pid = 0, saw_pid = 0;
    while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
            off += d->d_reclen;
            if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) continue;
            if (!numeric(d->d_name)) {
                if (saw_pid) named_after_pid = 1;
                continue;
            }
            saw_pid = 1;
            pid_t pid = atoi(d->d_name);
            for (int i = 0; i < 12; i++) {
                if (kids[i] == pid && !listed[i]) {
                    listed[i] = 1;
                    /* Let this child go and reap it before the next call. */
                    kill(pid, SIGKILL);
                    waitpid(pid, NULL, 0);
                }
            }
        }
    }
    int every = 1;
    for (int i = 0; i < 12; i++) every &= listed[i];
    printf("every child listed although the ones before it were reaped: %s\n", every ? "yes" : "no");
    printf("named entries before the pids: %s\n", named_after_pid ? "no" : "yes");
    close(dir);
    close(pipefd[1]);
    while (wait(NULL) > 0) {}
    return 0;
}
