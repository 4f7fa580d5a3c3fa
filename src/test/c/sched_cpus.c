// The CPU count agrees everywhere a program can look: sysconf(_SC_NPROCESSORS_ONLN) and
// _SC_NPROCESSORS_CONF, the affinity mask, /proc/cpuinfo's processors, /proc/PID/task. Under
// Jux this runs with --cpus 1 (natively it sees the host's CPUs), and four threads share it.
// cflags: -pthread
// jux-args: --cpus 1
#include "jux_test.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <dirent.h>

static int cpuinfo_processors(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) if (strncmp(line, "processor", 9) == 0) n++;
    fclose(f);
    return n;
}

static volatile long sums[4];
static pthread_barrier_t barrier;
static void *spin(void *arg) {
    long id = (long)arg, s = 0;
    pthread_barrier_wait(&barrier);
    for (long i = 0; i < 2000000; i++) s += i ^ id;
    sums[id] = s;
    pthread_barrier_wait(&barrier);
    return NULL;
}

static int task_entries(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

int main(void) {
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    printf("at least one CPU: %s\n", online >= 1 ? "yes" : "no");
    printf("affinity mask agrees: %s\n", CPU_COUNT(&set) == online ? "yes" : "no");
    printf("/proc/cpuinfo agrees: %s\n", cpuinfo_processors() == online ? "yes" : "no");
    printf("configured >= online: %s\n", sysconf(_SC_NPROCESSORS_CONF) >= online ? "yes" : "no");
    pthread_barrier_init(&barrier, NULL, 5);
    pthread_t t[4];
    for (long i = 0; i < 4; i++) pthread_create(&t[i], NULL, spin, (void *)i);
    pthread_barrier_wait(&barrier);
    printf("/proc/self/task while 4 threads run: %d\n", task_entries());
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    printf("sums: %ld %ld %ld %ld\n", sums[0], sums[1], sums[2], sums[3]);
    // pthread_join returns when the kernel clears the thread's tid, a moment before the
    // thread leaves the task list (on Linux too): look again for up to a second.
    int left = task_entries();
    for (int i = 0; i < 1000 && left != 1; i++) {
        usleep(1000);
        left = task_entries();
    }
    printf("/proc/self/task after join: %d\n", left);
    return 0;
}
