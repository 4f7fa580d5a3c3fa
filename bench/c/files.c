/* File system benchmark, run in the directory given as argv[1]: create + stat + unlink of N
 * files (argv[2], default 10000), then a sequential write and read of M MiB (argv[3], default
 * 256) in 1 MiB chunks. Prints "create_stat_unlink_us X" (per file), "write_ms Y", "read_ms Z". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) { perror("chdir"); return 1; }
    long n = argc > 2 ? atol(argv[2]) : 10000, mib = argc > 3 ? atol(argv[3]) : 256;
    char name[64];
    struct stat st;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%ld", i);
        int fd = open(name, O_CREAT | O_WRONLY | O_EXCL, 0644);
        if (fd < 0) { perror("open"); return 1; }
        close(fd);
    }
    for (long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%ld", i);
        if (stat(name, &st) != 0) { perror("stat"); return 1; }
    }
    for (long i = 0; i < n; i++) {
        snprintf(name, sizeof name, "f%ld", i);
        if (unlink(name) != 0) { perror("unlink"); return 1; }
    }
    double t1 = now();
    printf("create_stat_unlink_us %.2f\n", (t1 - t0) * 1000 / n);

    char *buf = malloc(1 << 20);
    memset(buf, 'x', 1 << 20);
    int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    t0 = now();
    for (long i = 0; i < mib; i++) if (write(fd, buf, 1 << 20) != 1 << 20) { perror("write"); return 1; }
    t1 = now();
    printf("write_ms %.1f\n", t1 - t0);
    lseek(fd, 0, SEEK_SET);
    t0 = now();
    for (long i = 0; i < mib; i++) if (read(fd, buf, 1 << 20) != 1 << 20) { perror("read"); return 1; }
    t1 = now();
    printf("read_ms %.1f\n", t1 - t0);
    close(fd);
    unlink("big");
    return 0;
}
