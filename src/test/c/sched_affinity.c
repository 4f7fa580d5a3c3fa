// sched_getaffinity/sched_setaffinity and getcpu: the mask covers the online CPUs, EINVAL for
// a too-small or misaligned size and for an empty or offline-only mask, EFAULT, ESRCH, EPERM
// for another user's process; a set mask is reported back, inherited by threads and children,
// and getcpu answers a CPU inside it. Prints relations only (the CPU count differs by host).
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/wait.h>

static long get_mask(pid_t pid, size_t len, uint64_t *mask) {
    *mask = 0;
    return syscall(SYS_sched_getaffinity, pid, len, mask);
}

static int set_mask(pid_t pid, size_t len, uint64_t mask) {
    errno = 0;
    return syscall(SYS_sched_setaffinity, pid, len, &mask) == 0 ? 0 : errno;
}

static int cpu_now(void) {
    unsigned cpu = 99, node = 99;
    if (syscall(SYS_getcpu, &cpu, &node, NULL) != 0) return -1;
    return node == 0 ? (int)cpu : -2;
}

static uint64_t thread_saw;
static int thread_cpu_ok;
static void *thread_main(void *arg) {
    (void)arg;
    get_mask(0, 8, &thread_saw);
    int c = cpu_now();
    thread_cpu_ok = c >= 0 && (thread_saw >> c & 1);
    /* A thread's own change does not touch the main thread's mask. */
    set_mask(0, 8, thread_saw & -thread_saw);
    return NULL;
}

/* /proc/self/status's Cpus_allowed (hex, nr_cpu_ids bits wide) and Cpus_allowed_list follow the mask. */
static void print_status_cpus(const char *when) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "Cpus_allowed", 12) == 0) printf("%s: %s", when, line);
    }
    if (f) fclose(f);
}

int main(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t all;
    long r = get_mask(0, 128, &all);
    printf("raw getaffinity returns a whole number of words: %s\n", r > 0 && r % 8 == 0 ? "yes" : "no");
    printf("mask counts the online CPUs: %s\n", __builtin_popcountll(all) == online ? "yes" : "no");
    printf("mask starts at CPU 0: %s\n", (all & 1) ? "yes" : "no");
    cpu_set_t set;
    CPU_ZERO(&set);
    int w = sched_getaffinity(0, sizeof set, &set);
    printf("glibc wrapper: %d, CPU_COUNT matches: %s\n", w, CPU_COUNT(&set) == online ? "yes" : "no");
    uint64_t m;
    SHOW_ERR(get_mask(0, 0, &m));
    SHOW_ERR(get_mask(0, 4, &m));
    SHOW_ERR(get_mask(0, 12, &m));
    SHOW_ERR(syscall(SYS_sched_getaffinity, 0, 8, (void *)8));
    SHOW_ERR(get_mask(999999, 8, &m));
    SHOW_ERR(get_mask(-1, 8, &m));
    printf("getaffinity by own tid: %s\n", get_mask(getpid(), 8, &m) > 0 && m == all ? "same" : "differs");

    int c = cpu_now();
    printf("getcpu in the mask, node 0: %s\n", c >= 0 && (all >> c & 1) ? "yes" : "no");
    printf("sched_getcpu agrees: %s\n", sched_getcpu() >= 0 && (all >> sched_getcpu() & 1) ? "yes" : "no");
    SHOW_ERR(syscall(SYS_getcpu, NULL, NULL, NULL));
    SHOW_ERR(syscall(SYS_getcpu, (void *)8, NULL, NULL));

    printf("set empty: %s\n", errname(set_mask(0, 8, 0)));
    printf("set only an offline CPU: %s\n", errname(set_mask(0, 8, 1ULL << 63)));
    printf("set with size 0: %s\n", errname(set_mask(0, 0, 1)));
    SHOW_ERR(syscall(SYS_sched_setaffinity, 0, 8, (void *)8));
    SHOW_ERR(syscall(SYS_sched_setaffinity, 999999, 8, &all));
    printf("set CPU 0 and an offline one: %s\n", errname(set_mask(0, 8, 1 | 1ULL << 63)));
    get_mask(0, 8, &m);
    printf("reported back: only CPU 0: %s\n", m == 1 ? "yes" : "no");
    printf("getcpu now 0: %s\n", cpu_now() == 0 ? "yes" : "no");
    print_status_cpus("after pinning to CPU 0");
    printf("set with 4 bytes: %s\n", errname(set_mask(0, 4, 1)));
    printf("set with 64 bytes: %s\n", errname(set_mask(0, 64, 1)));

    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
    printf("thread inherited CPU 0 only: %s, its getcpu in mask: %s\n", thread_saw == 1 ? "yes" : "no", thread_cpu_ok ? "yes" : "no");
    get_mask(0, 8, &m);
    printf("main still CPU 0 only: %s\n", m == 1 ? "yes" : "no");

    pid_t parent = getpid();
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        uint64_t cm;
        get_mask(0, 8, &cm);
        printf("child inherited: %s\n", cm == 1 ? "yes" : "no");
        if (setresuid(65534, 65534, 65534) != 0) printf("setresuid failed\n");
        printf("other user reads root's mask: %s\n", get_mask(parent, 8, &cm) > 0 ? "yes" : "no");
        printf("other user sets root's mask: %s\n", errname(set_mask(parent, 8, all)));
        printf("sets its own: %s\n", errname(set_mask(0, 8, all)));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("back to all CPUs: %s\n", errname(set_mask(0, 8, ~0ULL)));
    get_mask(0, 8, &m);
    printf("all again: %s\n", m == all ? "yes" : "no");
    print_status_cpus("all again");
    return 0;
}
