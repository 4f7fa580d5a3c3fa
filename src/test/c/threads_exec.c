// execve from a thread that is not the leader: the other threads die, the process keeps its
// pid (the caller takes the leader's tid), and the new program runs single-threaded.
// cflags: -pthread
// expect-exit: 3
#include "jux_test.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>

static char self_path[256];

static void *execer(void *arg) {
    (void)arg;
    char pid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    char *argv[] = {self_path, "after", pid, NULL};
    execv(self_path, argv);
    printf("execv failed: %s\n", errname(errno));
    exit(1);
}

static void *sleeper(void *arg) {
    (void)arg;
    for (;;) sleep(10);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 3) {
        printf("after exec: same pid: %s\n", atoi(argv[2]) == getpid() ? "yes" : "no");
        printf("after exec: tid == pid: %s\n", syscall(SYS_gettid) == getpid() ? "yes" : "no");
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        while (f && fgets(line, sizeof line, f))
            if (strncmp(line, "Threads:", 8) == 0) printf("after exec: %s", line);
        if (f) fclose(f);
        return 3;
    }
    ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
    if (n < 0) return 1;
    self_path[n] = 0;
    pthread_t s[2], e;
    for (int i = 0; i < 2; i++) pthread_create(&s[i], NULL, sleeper, NULL);
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "Threads:", 8) == 0) printf("before exec: %s", line);
    if (f) fclose(f);
    fflush(stdout);
    pthread_create(&e, NULL, execer, NULL);
    for (;;) pause();
}
