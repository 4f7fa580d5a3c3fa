// /proc/PID/oom_score_adj, oom_adj and oom_score: reading, writing (kstrtoint's forms, range
// errors), the legacy oom_adj scale both ways, fork's inheritance, another process's file,
// lowering (EACCES without CAP_SYS_RESOURCE: the host's root may lack it, Jux's root has it,
// so such writes print whether the result is what the capability says), and oom_score's
// extremes.
#include "jux_test.h"
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void path_of(char *buf, size_t n, pid_t pid, const char *file) {
    if (pid == 0) snprintf(buf, n, "/proc/self/%s", file);
    else snprintf(buf, n, "/proc/%d/%s", (int) pid, file);
}

static long read_num(pid_t pid, const char *file) {
    char path[64], buf[32] = "";
    path_of(path, sizeof path, pid, file);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -99999;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 ? strtol(buf, NULL, 10) : -99998;
}

static void write_str(pid_t pid, const char *file, const char *text, size_t len) {
    char path[64];
    path_of(path, sizeof path, pid, file);
    int fd = open(path, O_WRONLY);
    if (fd < 0) {
        printf("open %s for writing: %s\n", file, errname(errno));
        return;
    }
    ssize_t n = write(fd, text, len);
    printf("write %s \"", file);
    for (size_t i = 0; i < len; i++) putchar(text[i] == '\n' ? '|' : text[i] ? text[i] : '0');
    if (n < 0) printf("\": %s\n", errname(errno));
    else printf("\": %zd\n", n);
    close(fd);
}

static void show(const char *what) {
    printf("%s: oom_score_adj %ld oom_adj %ld\n", what, read_num(0, "oom_score_adj"), read_num(0, "oom_adj"));
}

#define W(file, s) write_str(0, file, s, strlen(s))

/* CAP_SYS_RESOURCE (see has_capability in jux_test.h). */
static int has_sys_resource(void) {
    return has_capability(24);
}

/*
 * A write that lowers the value: allowed exactly when the writer has CAP_SYS_RESOURCE; then
 * oom_score_adj is `expected`, else still what it was.
 */
static void lower(const char *file, const char *text, long expected) {
    long before = read_num(0, "oom_score_adj");
    char path[64];
    path_of(path, sizeof path, 0, file);
    int fd = open(path, O_WRONLY);
    ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));
    int err = errno;
    if (fd >= 0) close(fd);
    int cap = has_sys_resource();
    int as_said = cap ? n == (ssize_t) strlen(text) : n < 0 && err == EACCES;
    long after = read_num(0, "oom_score_adj");
    printf("lower %s to \"%s\": as CAP_SYS_RESOURCE says: %s, value as expected: %s\n", file, text,
           as_said ? "yes" : "no", after == (cap ? expected : before) ? "yes" : "no");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    show("initial");
    W("oom_score_adj", "010");
    show("after octal");
    W("oom_score_adj", " 0x10\n");
    show("after hex");
    W("oom_score_adj", "500");
    show("after 500");
    W("oom_score_adj", "abc");
    W("oom_score_adj", "1001");
    W("oom_score_adj", "-1001");
    W("oom_score_adj", "99999999999");
    W("oom_score_adj", "+");
    write_str(0, "oom_score_adj", "700\0junk", 8);
    show("after 700 and a NUL");

    int pipefd[2];
    if (pipe(pipefd) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(pipefd[0], &c, 1);
        show("child after the parent wrote its file");
        _exit(0);
    }
    write_str(pid, "oom_score_adj", "900", 3);
    write(pipefd[1], "x", 1);
    waitpid(pid, NULL, 0);
    show("parent keeps");
    printf("a reaped process's oom_score_adj: %ld\n", read_num(pid, "oom_score_adj"));

    W("oom_score_adj", "1000");
    show("after 1000");
    W("oom_adj", "15");
    show("after oom_adj 15");
    W("oom_adj", "16");
    W("oom_adj", "-18");

    struct { const char *file, *text; long expected; } lowering[] = {
        {"oom_score_adj", "-3", -3}, {"oom_adj", "4", 235}, {"oom_adj", "-17", -1000}};
    for (size_t i = 0; i < sizeof lowering / sizeof lowering[0]; i++) {
        pid = fork();
        if (pid == 0) {
            lower(lowering[i].file, lowering[i].text, lowering[i].expected);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    }

    pid = fork();
    if (pid == 0) {
        W("oom_score_adj", "0");    // down to the floor (0 unless a privileged writer moved it): always allowed
        show("at the floor");
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    pid = fork();
    if (pid == 0) {
        long high = read_num(0, "oom_score");
        printf("oom_score with 1000 >= 666: %s\n", high >= 666 ? "yes" : "no");
        lower("oom_score_adj", "-1000", -1000);
        long low = read_num(0, "oom_score");
        // 0 once -1000 is set; unchanged when the write was refused.
        printf("oom_score then as expected: %s\n", (has_sys_resource() ? low == 0 : low == high) ? "yes" : "no");
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    pid = fork();
    if (pid == 0) {
        if (setresuid(65534, 65534, 65534) != 0) { perror("setresuid"); _exit(1); }
        prctl(PR_SET_DUMPABLE, 1);
        W("oom_score_adj", "-600");
        W("oom_adj", "0");
        W("oom_score_adj", "2000");
        W("oom_score_adj", "1000");
        show("unprivileged child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
