// /proc/self: cmdline, comm, exe, fd links for a file and a pipe, the [stack] and [heap] lines of maps.
// args: one "two words"
#include "jux_test.h"
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>

static ssize_t slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t total = 0, n;
    while ((n = read(fd, buf + total, size - 1 - total)) > 0) total += n;
    close(fd);
    buf[total] = 0;
    return total;
}

int main(int argc, char **argv) {
    static char buf[1 << 16];
    char link[PATH_MAX], exe[PATH_MAX];

    /* cmdline: argv with a NUL after each string. */
    ssize_t n = slurp("/proc/self/cmdline", buf, sizeof buf);
    size_t expected = 0;
    for (int k = 0; k < argc; k++) expected += strlen(argv[k]) + 1;
    CHECK(n == (ssize_t)expected);
    CHECK(n > 0 && memcmp(buf, argv[0], strlen(argv[0]) + 1) == 0);
    for (ssize_t k = strlen(argv[0]) + 1; k < n; k++) putchar(buf[k] ? buf[k] : '|');
    putchar('\n');

    /* comm: the executable's name, cut to 15 bytes, and a newline. */
    slurp("/proc/self/comm", buf, sizeof buf);
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    size_t len = strlen(base) < 15 ? strlen(base) : 15;
    CHECK(strlen(buf) == len + 1 && strncmp(buf, base, len) == 0);
    CHECK(buf[strlen(buf) - 1] == '\n');

    /* exe, and an fd opened through it names the same file. */
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    int fd = open("/proc/self/exe", O_RDONLY);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd);
    n = readlink(buf, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    CHECK(strcmp(link, exe) == 0);
    int root = open("/", O_RDONLY | O_DIRECTORY);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", root);
    n = readlink(buf, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("fd of /: %s\n", link);

    int p[2];
    CHECK(pipe(p) == 0);
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", p[0]);
    n = readlink(buf, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    CHECK(strncmp(link, "pipe:[", 6) == 0 && link[n - 1] == ']');
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", p[1] + 100);
    SHOW_ERR(readlink(buf, link, sizeof link));

    /* cwd and root. */
    n = readlink("/proc/self/root", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("root: %s\n", link);

    /* maps: a [stack] line rw-p, a [heap] line once malloc used brk. */
    void *m = malloc(100);
    sbrk(4096);
    slurp("/proc/self/maps", buf, sizeof buf);
    char *stack = strstr(buf, "[stack]"), *heap = strstr(buf, "[heap]");
    CHECK(stack != NULL);
    CHECK(heap != NULL);
    if (stack) {
        char *line = stack;
        while (line > buf && line[-1] != '\n') line--;
        CHECK(strncmp(strchr(line, ' ') + 1, "rw-p", 4) == 0);
        CHECK(stack - line == 73);
    }
    free(m);

    /* status names the process and says it runs. */
    slurp("/proc/self/status", buf, sizeof buf);
    CHECK(strstr(buf, "State:\tR (running)") != NULL);
    CHECK(strncmp(buf, "Name:\t", 6) == 0);
    slurp("/proc/self/stat", buf, sizeof buf);
    CHECK(strstr(buf, ") R ") != NULL);
    return 0;
}
