// Fork: the child gets 0 and a copy of memory and fds, the parent the child's pid; they talk
// through a pipe; the child's exit status reaches waitpid; memory written after fork stays
// private to each side, across many mappings; the fd offset is shared; getppid in the child is
// the parent.
#include "jux_test.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define MAPPINGS 64

static int global = 1;

int main(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t parent = getpid();
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        char msg[64];
        int n = snprintf(msg, sizeof msg, "ppid=parent:%d global=%d", getppid() == parent, global);
        global = 2;
        write(fds[1], msg, n);
        _exit(42);
    }
    close(fds[1]);
    CHECK(child > 0);
    CHECK(child != parent);
    char buf[128] = {0};
    int total = 0, n;
    while ((n = read(fds[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
    printf("child said: %s\n", buf);
    printf("read after child exit: %d\n", n);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    printf("exit status: %d\n", WEXITSTATUS(status));
    printf("parent's global: %d\n", global);

    // Many mappings, filled before fork, changed on both sides after it.
    char *maps[MAPPINGS];
    for (int i = 0; i < MAPPINGS; i++) {
        maps[i] = mmap(NULL, 4096 * (1 + i % 3), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (maps[i] == MAP_FAILED) return 1;
        memset(maps[i], i, 4096 * (1 + i % 3));
    }
    // Leave gaps so the mappings do not merge into one.
    for (int i = 0; i < MAPPINGS; i += 2) mprotect(maps[i], 4096, PROT_READ);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        int bad = 0;
        for (int i = 0; i < MAPPINGS; i++) {
            for (int k = 0; k < 4096 * (1 + i % 3); k++) if (maps[i][k] != (char) i) bad++;
            if (i % 2) memset(maps[i], 0x55, 4096);
        }
        _exit(bad == 0 ? 0 : 1);
    }
    for (int i = 1; i < MAPPINGS; i += 2) maps[i][100] = 0x77;
    CHECK(waitpid(child, &status, 0) == child);
    printf("child saw the copies: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    int bad = 0;
    for (int i = 1; i < MAPPINGS; i += 2) if (maps[i][0] != (char) i || maps[i][100] != 0x77) bad++;
    printf("parent's copies intact: %s\n", bad == 0 ? "yes" : "no");

    // The open file description (and its offset) is shared.
    char path[64];
    snprintf(path, sizeof path, "/tmp/jux_proc_fork_%d", (int) getpid());
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(fd >= 0);
    unlink(path);
    fflush(stdout);
    child = fork();
    if (child == 0) {
        write(fd, "hello", 5);
        close(fd);
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("offset after child's write: %ld\n", (long) lseek(fd, 0, SEEK_CUR));
    CHECK(write(fd, " world", 6) == 6);
    char back[16] = {0};
    CHECK(pread(fd, back, sizeof back - 1, 0) == 11);
    printf("file: %s\n", back);
    close(fd);
    return 0;
}
