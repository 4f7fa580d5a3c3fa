// /proc/TID of a thread that does not lead its process: found by name (stat and status name
// the thread) but not listed in /proc; gone once the thread has ended.
#include "jux_test.h"
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static pid_t thread_tid;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int phase;

static void *thread_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&mu);
    thread_tid = (pid_t)syscall(SYS_gettid);
    phase = 1;
    pthread_cond_broadcast(&cv);
    while (phase != 2) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static int listed(pid_t id) {
    DIR *d = opendir("/proc");
    struct dirent *e;
    int found = 0;
    char name[32];
    snprintf(name, sizeof name, "%d", (int)id);
    while ((e = readdir(d)) != NULL) if (strcmp(e->d_name, name) == 0) found = 1;
    closedir(d);
    return found;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_mutex_lock(&mu);
    while (phase != 1) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)thread_tid);
    FILE *f = fopen(path, "r");
    printf("open /proc/TID/stat: %s\n", f ? "yes" : errname(errno));
    if (f) {
        if (fgets(line, sizeof line, f)) printf("its first field is the tid: %s\n", atoi(line) == thread_tid ? "yes" : "no");
        fclose(f);
    }
    snprintf(path, sizeof path, "/proc/%d/status", (int)thread_tid);
    f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "Tgid:", 5) == 0) printf("Tgid is the process: %s\n", atoi(line + 5) == getpid() ? "yes" : "no");
        if (strncmp(line, "Pid:", 4) == 0) printf("Pid is the thread: %s\n", atoi(line + 4) == thread_tid ? "yes" : "no");
    }
    if (f) fclose(f);
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d", (int)thread_tid);
    printf("stat /proc/TID: %s\n", stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "a directory" : errname(errno));
    printf("/proc lists the process: %s, the thread: %s\n", listed(getpid()) ? "yes" : "no", listed(thread_tid) ? "yes" : "no");
    snprintf(path, sizeof path, "/proc/0%d", (int)thread_tid);
    printf("with a leading zero: %s\n", stat(path, &st) == 0 ? "found" : errname(errno));

    pthread_mutex_lock(&mu);
    phase = 2;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(t, NULL);
    snprintf(path, sizeof path, "/proc/%d", (int)thread_tid);
    // pthread_join returns when the kernel clears the thread's tid, a moment before the
    // thread is gone from /proc (on Linux too): look again for up to a second.
    int gone = stat(path, &st) != 0;
    for (int i = 0; i < 1000 && !gone; i++) {
        usleep(1000);
        gone = stat(path, &st) != 0;
    }
    printf("after the thread ended: %s\n", gone ? errname(errno) : "still there");
    return 0;
}
