// /proc's process and system files agree with the system calls and with each other:
// /proc/self/{stat, statm, status, limits, fdinfo, comm}, /proc/{stat, uptime, loadavg,
// meminfo}, /proc/sys/kernel/*, /proc/sys/vm/overcommit_memory, a zombie's files.
#include "jux_test.h"
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

static char buf[1 << 16];

static ssize_t slurp(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    ssize_t total = 0, n;
    while ((n = read(fd, buf + total, sizeof buf - 1 - total)) > 0) total += n;
    close(fd);
    buf[total] = 0;
    return total;
}

static long long self_stat(int n) {
    slurp("/proc/self/stat");
    return stat_field(buf, n);
}

/* The value after "Key:" in a "Key:\tvalue" file, as a string (static). */
static const char *value_of(const char *text, const char *key) {
    static char out[256];
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\n%s:", key);
    const char *p = strncmp(text, pattern + 1, strlen(pattern + 1)) == 0 ? text - 1 : strstr(text, pattern);
    if (!p) return "";
    p += strlen(pattern);
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strcspn(p, "\n");
    if (n >= sizeof out) n = sizeof out - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

static int64_t cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Computes until the process has used at least ms of CPU time. */
static void burn(int ms) {
    volatile uint64_t x = 1;
    int64_t start = cpu_ns();
    while (cpu_ns() - start < (int64_t)ms * 1000000)
        for (int i = 0; i < 2000000; i++) x = x * 6364136223846793005ULL + 1;
}

static void on_term(int sig) { (void)sig; }

/* Whether signal sig's bit is set in a status mask ("SigBlk:\t0000000000000200"). */
static const char *has_bit(const char *hex, int sig) {
    return (strtoull(hex, NULL, 16) >> (sig - 1)) & 1 ? "yes" : "no";
}

/* Maps and touches n fresh pages: n minor faults, and a resident set Linux's batched counters show. */
static void touch_pages(int n) {
    char *p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < n; i++) p[(size_t)i * 4096] = 1;
}

int main(void) {
    touch_pages(512);
    /* stat: identity fields agree with the system calls. */
    slurp("/proc/self/stat");
    char line[4096];
    snprintf(line, sizeof line, "%.4000s", buf);
    printf("stat pid == getpid(): %s\n", atoll(line) == getpid() ? "yes" : "no");
    printf("stat state: %c\n", (char)stat_field(line, 3));
    printf("stat ppid == getppid(): %s\n", stat_field(line, 4) == getppid() ? "yes" : "no");
    printf("stat pgrp == getpgrp(): %s\n", stat_field(line, 5) == getpgrp() ? "yes" : "no");
    printf("stat session == getsid(0): %s\n", stat_field(line, 6) == getsid(0) ? "yes" : "no");
    printf("stat num_threads: %lld\n", stat_field(line, 20));
    printf("stat exit_signal: %lld\n", stat_field(line, 38));
    /* The nice value is inherited from whoever started the test; the relation is Linux's for SCHED_OTHER. */
    printf("stat priority == 20 + nice: %s\n", stat_field(line, 18) == 20 + stat_field(line, 19) ? "yes" : "no");
    printf("stat nice == getpriority(): %s\n", stat_field(line, 19) == getpriority(PRIO_PROCESS, 0) ? "yes" : "no");
    printf("stat vsize > 0, rss > 0: %s\n", stat_field(line, 23) > 0 && stat_field(line, 24) > 0 ? "yes" : "no");
    int fields = 0;
    for (char *p = strrchr(line, ')'); p && *p; p++) fields += *p == ' ';
    printf("stat fields: %d\n", fields + 1);

    /* start time: ticks since boot, not after /proc/uptime. */
    long long start = stat_field(line, 22);
    slurp("/proc/uptime");
    double up = atof(buf), idle = atof(strchr(buf, ' ') + 1);
    long hz = sysconf(_SC_CLK_TCK);
    printf("hz: %ld\n", hz);
    printf("starttime <= uptime: %s\n", start <= (long long)(up * hz) + 1 ? "yes" : "no");
    printf("uptime > 0, idle >= 0: %s\n", up > 0 && idle >= 0 ? "yes" : "no");

    /* statm agrees with stat: size in pages = vsize / 4096, resident = rss. */
    long long vsize = self_stat(23);   /* no printf in between: it could grow the heap */
    slurp("/proc/self/statm");
    long long size = 0, resident = 0;
    sscanf(buf, "%lld %lld", &size, &resident);
    printf("statm size == stat vsize / page: %s\n", size == vsize / 4096 ? "yes" : "no");
    printf("statm resident > 0: %s\n", resident > 0 ? "yes" : "no");

    /* CPU time: utime grows while the process computes. */
    long long utime0 = self_stat(14);
    burn(300);
    long long utime1 = self_stat(14), stime1 = self_stat(15);
    printf("utime increases after a busy loop: %s\n", utime1 > utime0 ? "yes" : "no");
    printf("stime >= 0: %s\n", stime1 >= 0 ? "yes" : "no");
    long long minflt0 = self_stat(10);
    touch_pages(64);
    printf("minflt grows with fresh pages: %s\n", self_stat(10) > minflt0 ? "yes" : "no");

    /* status: signal masks follow sigprocmask and sigaction. */
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGTERM, on_term);
    vsize = self_stat(23);
    slurp("/proc/self/status");
    printf("status Name: %s\n", value_of(buf, "Name"));
    printf("status State: %s\n", value_of(buf, "State"));
    char want[64];
    snprintf(want, sizeof want, "%d", getpid());
    printf("status Pid == getpid(): %s\n", strcmp(value_of(buf, "Pid"), want) == 0 ? "yes" : "no");
    printf("status Tgid == Pid: %s\n", strcmp(value_of(buf, "Tgid"), want) == 0 ? "yes" : "no");
    snprintf(want, sizeof want, "%d", getppid());
    printf("status PPid == getppid(): %s\n", strcmp(value_of(buf, "PPid"), want) == 0 ? "yes" : "no");
    snprintf(want, sizeof want, "%u\t%u\t%u\t%u", getuid(), geteuid(), geteuid(), geteuid());
    printf("status Uid matches: %s\n", strcmp(value_of(buf, "Uid"), want) == 0 ? "yes" : "no");
    printf("status Threads: %s\n", value_of(buf, "Threads"));
    printf("status SigBlk has SIGUSR1: %s\n", has_bit(value_of(buf, "SigBlk"), SIGUSR1));
    printf("status SigIgn has SIGUSR2: %s\n", has_bit(value_of(buf, "SigIgn"), SIGUSR2));
    printf("status SigCgt has SIGTERM: %s\n", has_bit(value_of(buf, "SigCgt"), SIGTERM));
    printf("status SigCgt has SIGUSR2: %s\n", has_bit(value_of(buf, "SigCgt"), SIGUSR2));
    printf("status SigPnd: %s\n", value_of(buf, "SigPnd"));
    printf("status NoNewPrivs: %s\n", value_of(buf, "NoNewPrivs"));
    printf("status VmRSS > 0: %s\n", atol(value_of(buf, "VmRSS")) > 0 ? "yes" : "no");
    printf("status VmSize == vsize/1024: %s\n", atoll(value_of(buf, "VmSize")) == vsize / 1024 ? "yes" : "no");
    printf("status VmHWM >= VmRSS: %s\n", atol(value_of(buf, "VmHWM")) >= atol(value_of(buf, "VmRSS")) ? "yes" : "no");
    printf("status VmStk > 0: %s\n", atol(value_of(buf, "VmStk")) > 0 ? "yes" : "no");
    printf("status has Cpus_allowed_list: %s\n", value_of(buf, "Cpus_allowed_list")[0] == '0' ? "yes" : "no");
    printf("status voluntary_ctxt_switches present: %s\n", strstr(buf, "\nvoluntary_ctxt_switches:") ? "yes" : "no");
    raise(SIGUSR1);
    slurp("/proc/self/status");
    printf("status SigPnd after raise(SIGUSR1): %s\n", value_of(buf, "SigPnd"));
    slurp("/proc/self/stat");
    printf("stat signal has SIGUSR1: %s\n", (stat_field(buf, 31) >> (SIGUSR1 - 1)) & 1 ? "yes" : "no");
    printf("stat blocked has SIGUSR1: %s\n", (stat_field(buf, 32) >> (SIGUSR1 - 1)) & 1 ? "yes" : "no");
    printf("stat sigignore has SIGUSR2: %s\n", (stat_field(buf, 33) >> (SIGUSR2 - 1)) & 1 ? "yes" : "no");
    printf("stat sigcatch has SIGTERM: %s\n", (stat_field(buf, 34) >> (SIGTERM - 1)) & 1 ? "yes" : "no");
    signal(SIGUSR1, SIG_IGN);
    sigprocmask(SIG_UNBLOCK, &block, NULL);

    /* limits: the soft "Max open files" is getrlimit's. */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    slurp("/proc/self/limits");
    char *files = strstr(buf, "Max open files");
    printf("limits header: %.*s\n", (int)strcspn(buf, "\n"), buf);
    printf("limits Max open files soft == getrlimit: %s\n", files && strtoull(files + 26, NULL, 10) == rl.rlim_cur ? "yes" : "no");
    int lines = 0;
    for (char *p = buf; *p; p++) lines += *p == '\n';
    printf("limits lines: %d\n", lines);

    /* fdinfo: the offset, O_CLOEXEC, and a mount that mountinfo lists. */
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    read(fd, line, 10);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    slurp(path);
    printf("fdinfo pos: %s\n", value_of(buf, "pos"));
    unsigned long flags = strtoul(value_of(buf, "flags"), NULL, 8);
    printf("fdinfo flags has O_CLOEXEC: %s, access O_RDONLY: %s\n", flags & O_CLOEXEC ? "yes" : "no", (flags & O_ACCMODE) == O_RDONLY ? "yes" : "no");
    char mnt[32];
    snprintf(mnt, sizeof mnt, "\n%s ", value_of(buf, "mnt_id"));
    slurp("/proc/self/mountinfo");
    memmove(buf + 1, buf, strlen(buf) + 1);
    buf[0] = '\n';
    printf("fdinfo mnt_id is in mountinfo: %s\n", strstr(buf, mnt) ? "yes" : "no");
    close(fd);
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
    SHOW_ERR(open(path, O_RDONLY));

    /* comm: a process renames itself through its comm file; prctl sees the name. */
    fd = open("/proc/self/comm", O_WRONLY | O_TRUNC);
    SHOW_RET(write(fd, "renamed-by-a-very-long-name", 27));
    close(fd);
    slurp("/proc/self/comm");
    printf("comm after write: %s", buf);
    char name[17] = {0};
    prctl(PR_GET_NAME, name);
    printf("PR_GET_NAME: %s\n", name);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* Another process's comm cannot be written, even by root. */
        snprintf(path, sizeof path, "/proc/%d/comm", getppid());
        int pfd = open(path, O_WRONLY);
        SHOW_ERR(write(pfd, "x", 1));
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* environ and stat's addresses need ptrace-read access: an unprivileged child cannot read its root parent's. */
    fflush(stdout);
    child = fork();
    if (child == 0) {
        pid_t parent = getppid();
        if (setuid(65534) != 0) _exit(1);
        snprintf(path, sizeof path, "/proc/%d/environ", parent);
        SHOW_ERR(open(path, O_RDONLY));
        snprintf(path, sizeof path, "/proc/%d/stat", parent);
        slurp(path);
        printf("parent's startcode hidden (1): %lld, startstack hidden (0): %lld\n", stat_field(buf, 26), stat_field(buf, 28));
        /* After setuid the child is not dumpable: its own environ belongs to root now. */
        SHOW_ERR(open("/proc/self/environ", O_RDONLY));
        slurp("/proc/self/stat");
        printf("own startcode shown: %s\n", stat_field(buf, 26) > 1 ? "yes" : "no");
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("own environ readable: %s\n", slurp("/proc/self/environ") >= 0 ? "yes" : "no");

    /* A zombie: state Z, no command line, no memory figures. */
    child = fork();
    if (child == 0) _exit(3);
    for (int i = 0; i < 20000 && proc_state(child) != 'Z'; i++) usleep(1000);
    printf("zombie state: %c\n", proc_state(child));
    snprintf(path, sizeof path, "/proc/%d/cmdline", child);
    printf("zombie cmdline length: %zd\n", slurp(path));
    snprintf(path, sizeof path, "/proc/%d/status", child);
    slurp(path);
    printf("zombie status State: %s, has VmRSS: %s\n", value_of(buf, "State"), strstr(buf, "VmRSS") ? "yes" : "no");
    waitpid(child, NULL, 0);
    printf("reaped child's dir is gone: %s\n", access(path, F_OK) != 0 ? "yes" : "no");

    /* /proc/stat: btime is in the past, the cpu line adds up, the counters are sane. */
    slurp("/proc/uptime");
    up = atof(buf);   /* again: the test may have run for seconds on a loaded machine */
    time_t now = time(NULL);
    slurp("/proc/stat");
    char *b = strstr(buf, "\nbtime ");
    long long btime = b ? atoll(b + 7) : -1;
    printf("btime <= now: %s\n", btime > 0 && btime <= now ? "yes" : "no");
    printf("btime + uptime ~ now: %s\n", llabs(btime + (long long)up - now) <= 2 ? "yes" : "no");
    long long user, nice_, sys, idl;
    printf("cpu line parses: %s\n", sscanf(buf, "cpu %lld %lld %lld %lld", &user, &nice_, &sys, &idl) == 4 ? "yes" : "no");
    printf("cpu0 line: %s\n", strstr(buf, "\ncpu0 ") ? "yes" : "no");
    char *procs = strstr(buf, "\nprocesses ");
    printf("processes > 0: %s\n", procs && atoll(procs + 11) > 0 ? "yes" : "no");
    char *running = strstr(buf, "\nprocs_running ");
    printf("procs_running >= 1: %s\n", running && atoll(running + 15) >= 1 ? "yes" : "no");
    printf("has ctxt, intr, procs_blocked: %s\n", strstr(buf, "\nctxt ") && strstr(buf, "\nintr ") && strstr(buf, "\nprocs_blocked ") ? "yes" : "no");

    /* loadavg: three averages, running/total, last pid. */
    slurp("/proc/loadavg");
    double l1, l5, l15;
    int run, total, last;
    printf("loadavg parses: %s\n", sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &run, &total, &last) == 6 ? "yes" : "no");
    printf("loadavg running <= total, last pid > 0: %s\n", run >= 1 && run <= total && last > 0 ? "yes" : "no");

    /* meminfo: free below total. */
    slurp("/proc/meminfo");
    long total_kb = atol(value_of(buf, "MemTotal")), free_kb = atol(value_of(buf, "MemFree"));
    printf("meminfo 0 < MemFree <= MemTotal: %s\n", free_kb > 0 && free_kb <= total_kb ? "yes" : "no");
    printf("meminfo has MemAvailable, SwapTotal: %s\n", strstr(buf, "MemAvailable:") && strstr(buf, "SwapTotal:") ? "yes" : "no");

    /* /proc/sys: the names agree with uname. */
    struct utsname u;
    uname(&u);
    slurp("/proc/sys/kernel/ostype");
    printf("ostype: %s", buf);
    slurp("/proc/sys/kernel/osrelease");
    printf("osrelease == uname release: %s\n", strncmp(buf, u.release, strlen(u.release)) == 0 && buf[strlen(u.release)] == '\n' ? "yes" : "no");
    slurp("/proc/sys/kernel/hostname");
    printf("hostname == uname nodename: %s\n", strncmp(buf, u.nodename, strlen(u.nodename)) == 0 && buf[strlen(u.nodename)] == '\n' ? "yes" : "no");
    slurp("/proc/sys/kernel/domainname");
    printf("domainname == uname domainname: %s\n", strncmp(buf, u.domainname, strlen(u.domainname)) == 0 ? "yes" : "no");
    slurp("/proc/sys/kernel/pid_max");
    printf("pid_max > getpid(): %s\n", atol(buf) > getpid() ? "yes" : "no");
    slurp("/proc/sys/vm/overcommit_memory");
    printf("overcommit_memory in 0..2: %s\n", buf[0] >= '0' && buf[0] <= '2' && buf[1] == '\n' ? "yes" : "no");
    return 0;
}
