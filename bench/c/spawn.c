// fork + execve + waitpid of a program N times; prints the mean in microseconds.
// Usage: spawn N PROGRAM [ARGS...]  (bench/interp runs "qemu-x86_64 /bin/true" under qemu-user,
// so that the child is emulated too, as binfmt_misc would do)
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: spawn N PROGRAM [ARGS...]\n"); return 2; }
    long n = atol(argv[1]);
    char *const *args = argv + 2;
    char *const env[] = {"PATH=/usr/bin:/bin", NULL};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) { execve(argv[2], args, env); _exit(127); }
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "spawn: child failed (status %#x)\n", status);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / n;
    printf("us_per_spawn %.1f\n", us);
    return 0;
}
