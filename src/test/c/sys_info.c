// sysinfo, times, getrusage, wait4's rusage and the CPU-time clocks report real, consistent
// numbers (CPU time grows while the process computes, a reaped child's time moves to the
// parent's children totals, memory agrees with /proc/meminfo) and their error paths.
// cflags: -lrt
#include "jux_test.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>

static int64_t cpu_ns(clockid_t clock) {
    struct timespec t;
    if (clock_gettime(clock, &t) != 0) return -1;
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Computes until the process has used at least ms of CPU time. */
static void burn(int ms) {
    volatile uint64_t x = 1;
    int64_t start = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
    while (cpu_ns(CLOCK_PROCESS_CPUTIME_ID) - start < (int64_t)ms * 1000000)
        for (int i = 0; i < 2000000; i++) x = x * 6364136223846793005ULL + 1;
}

static long tv_us(struct timeval t) { return t.tv_sec * 1000000L + t.tv_usec; }

static long meminfo_kb(const char *key) {
    static char buf[8192];
    int fd = open("/proc/meminfo", O_RDONLY);
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    char *p = strstr(buf, key);
    return p ? atol(p + strlen(key) + 1) : -1;
}

int main(void) {
    /* sysinfo: uptime, memory in mem_unit units, at least this process. */
    struct sysinfo si;
    SHOW_ERR(sysinfo(&si));
    printf("uptime > 0: %s\n", si.uptime > 0 ? "yes" : "no");
    printf("0 < freeram <= totalram: %s\n", si.freeram > 0 && si.freeram <= si.totalram ? "yes" : "no");
    printf("totalram == MemTotal: %s\n", (long)(si.totalram * si.mem_unit / 1024) == meminfo_kb("MemTotal:") ? "yes" : "no");
    printf("mem_unit: %u\n", si.mem_unit);
    printf("procs >= 1: %s\n", si.procs >= 1 ? "yes" : "no");
    printf("no swap on a fresh system or some: %s\n", si.freeswap <= si.totalswap ? "yes" : "no");
    SHOW_ERR(syscall(SYS_sysinfo, NULL));
    SHOW_ERR(syscall(SYS_sysinfo, (void *)8));

    /* times and getrusage: CPU time grows while computing. */
    struct tms t0, t1;
    clock_t r0 = times(&t0);
    struct rusage u0, u1;
    getrusage(RUSAGE_SELF, &u0);
    int64_t p0 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID), th0 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    burn(300);
    clock_t r1 = times(&t1);
    getrusage(RUSAGE_SELF, &u1);
    int64_t p1 = cpu_ns(CLOCK_PROCESS_CPUTIME_ID), th1 = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    printf("times() return grows: %s\n", r1 >= r0 && r0 != (clock_t)-1 ? "yes" : "no");
    printf("tms_utime increases after a busy loop: %s\n", t1.tms_utime > t0.tms_utime ? "yes" : "no");
    printf("no children yet: %s\n", t1.tms_cutime == 0 && t1.tms_cstime == 0 ? "yes" : "no");
    printf("ru_utime increases after a busy loop: %s\n", tv_us(u1.ru_utime) > tv_us(u0.ru_utime) ? "yes" : "no");
    printf("ru_utime + ru_stime >= 250 ms: %s\n", tv_us(u1.ru_utime) + tv_us(u1.ru_stime) >= 250000 ? "yes" : "no");
    printf("ru_maxrss > 0: %s\n", u1.ru_maxrss > 0 ? "yes" : "no");
    printf("process CPU clock grew >= 300 ms: %s\n", p1 - p0 >= 300000000 ? "yes" : "no");
    printf("thread CPU clock grew: %s\n", th1 > th0 ? "yes" : "no");
    printf("thread clock <= process clock: %s\n", th1 <= cpu_ns(CLOCK_PROCESS_CPUTIME_ID) ? "yes" : "no");
    SHOW_ERR(times(NULL));
    SHOW_ERR(syscall(SYS_times, (void *)8));

    struct rusage ut;
    SHOW_ERR(getrusage(RUSAGE_THREAD, &ut));
    printf("RUSAGE_THREAD utime > 0: %s\n", tv_us(ut.ru_utime) > 0 ? "yes" : "no");
    SHOW_ERR(getrusage(5, &ut));
    SHOW_ERR(getrusage(RUSAGE_SELF, (void *)8));

    /* Clock resolutions and a clock id for this process and for a child. */
    struct timespec res;
    SHOW_ERR(clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res));
    printf("CLOCK_PROCESS_CPUTIME_ID resolution: %ld ns\n", res.tv_nsec);
    clockid_t mine;
    printf("clock_getcpuclockid(self): %d\n", clock_getcpuclockid(getpid(), &mine));
    printf("own clock id reads >= 300 ms: %s\n", cpu_ns(mine) >= 300000000 ? "yes" : "no");

    /* A child computes; before the wait the parent's children figures are 0, after it they hold the child's. */
    struct rusage c0, c1, w;
    getrusage(RUSAGE_CHILDREN, &c0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* Enough resident pages that Linux's batched RSS counters see them. */
        char *m = malloc(2 << 20);
        for (int i = 0; i < (2 << 20); i += 4096) m[i] = 1;
        burn(200);
        _exit(7);
    }
    clockid_t theirs;
    printf("clock_getcpuclockid(child): %d\n", clock_getcpuclockid(child, &theirs));
    int status;
    pid_t got = wait4(child, &status, 0, &w);
    printf("wait4 = child: %s, status %d\n", got == child ? "yes" : "no", WEXITSTATUS(status));
    printf("wait4 rusage utime + stime >= 150 ms: %s\n", tv_us(w.ru_utime) + tv_us(w.ru_stime) >= 150000 ? "yes" : "no");
    printf("wait4 rusage maxrss > 0: %s\n", w.ru_maxrss > 0 ? "yes" : "no");
    getrusage(RUSAGE_CHILDREN, &c1);
    printf("children before: %s\n", tv_us(c0.ru_utime) == 0 ? "zero" : "nonzero");
    printf("children utime grew by the child's: %s\n",
           tv_us(c1.ru_utime) + tv_us(c1.ru_stime) >= tv_us(w.ru_utime) + tv_us(w.ru_stime) ? "yes" : "no");
    struct tms t2;
    times(&t2);
    printf("tms_cutime + tms_cstime > 0: %s\n", t2.tms_cutime + t2.tms_cstime > 0 ? "yes" : "no");
    /* The child is gone: its clock id no longer reads. */
    struct timespec gone;
    SHOW_ERR(clock_gettime(theirs, &gone));
    SHOW_ERR(clock_gettime((clockid_t)(~0 << 3) | 3, &gone));   /* CPUCLOCK_MAX: not a clock */
    return 0;
}
