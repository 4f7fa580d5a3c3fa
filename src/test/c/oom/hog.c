// Used by OutOfMemoryTest (run under `--memory 256M`, not natively).
// "alone": allocates and touches 16 MiB chunks until it is killed (1 GiB would be plenty).
// "pair": a child takes 150 MiB and sleeps; then the parent touches 180 MiB. When RAM runs
// out the child is the largest process and is the one killed; the parent finishes and reports.
// "spared": as "pair", but the 150 MiB child has oom_score_adj -1000 and a second child touches
// 180 MiB: the killer must spare the larger one and pid 1, so the second child is killed.
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MiB (1UL << 20)

static void say(const char *s) {
    write(1, s, strlen(s));
}

/* Maps n MiB in 16 MiB chunks and writes every page. */
static void touch(size_t n) {
    for (size_t done = 0; done < n; done += 16) {
        char *p = mmap(NULL, 16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            say("mmap failed\n");
            _exit(2);
        }
        for (size_t i = 0; i < 16 * MiB; i += 4096) p[i] = 1;
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "pair") == 0) {
        int ready[2];
        pipe(ready);
        pid_t pid = fork();
        if (pid == 0) {
            touch(150);
            write(ready[1], "x", 1);
            pause();
            _exit(0);
        }
        char c;
        read(ready[0], &c, 1);
        touch(180);
        int status;
        waitpid(pid, &status, 0);
        say(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "child killed by SIGKILL\n" : "child not killed\n");
        say("parent survived\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "spared") == 0) {
        int ready[2];
        pipe(ready);
        pid_t big = fork();
        if (big == 0) {
            int fd = open("/proc/self/oom_score_adj", O_WRONLY);
            if (fd < 0 || write(fd, "-1000", 5) != 5) {
                say("cannot write oom_score_adj\n");
                _exit(3);
            }
            close(fd);
            touch(150);
            write(ready[1], "x", 1);
            pause();
            _exit(0);
        }
        char c;
        read(ready[0], &c, 1);
        pid_t hog = fork();
        if (hog == 0) {
            touch(180);
            _exit(0);
        }
        int status;
        waitpid(hog, &status, 0);
        say(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "hog killed by SIGKILL\n" : "hog not killed\n");
        kill(big, SIGTERM);
        waitpid(big, &status, 0);
        say(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM ? "spared child survived\n" : "spared child was killed\n");
        return 0;
    }
    say("allocating\n");
    touch(1024);
    say("not killed\n");
    return 0;
}
