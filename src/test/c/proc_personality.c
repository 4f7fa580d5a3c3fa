// personality(2): query (0xffffffff) and set, per task (a thread's change stays its own, fork
// and new threads copy it), /proc/self/personality, uname under PER_LINUX32 and UNAME26,
// READ_IMPLIES_EXEC (PROT_READ maps and mprotects as r-x), what execve keeps (it clears
// READ_IMPLIES_EXEC only), STICKY_TIMEOUTS (select leaves the timeout as given).
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/select.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static unsigned query(void) {
    return (unsigned) personality(0xffffffff);
}

static void show_proc(const char *what) {
    char buf[64] = "";
    int fd = open("/proc/self/personality", O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (n >= 0) buf[n] = 0;
    printf("%s: /proc/self/personality: %s", what, n > 0 ? buf : "(unreadable)\n");
    if (fd >= 0) close(fd);
}

/* The permissions column of the /proc/self/maps line that holds addr. */
static void show_perms(const char *what, void *addr) {
    char line[512];
    static char found[8];
    const char *perms = "(not found)";
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f)) {
        unsigned long start, end;
        char p[8];
        if (sscanf(line, "%lx-%lx %4s", &start, &end, p) == 3 && start <= (unsigned long) addr && (unsigned long) addr < end) {
            memcpy(found, p, 5);
            perms = found;
            break;
        }
    }
    if (f) fclose(f);
    printf("%s: %s\n", what, perms);
}

static void *thread_sets(void *arg) {
    (void) arg;
    printf("thread starts with 0x%x\n", query());
    personality(ADDR_NO_RANDOMIZE | STICKY_TIMEOUTS);
    printf("thread set 0x%x\n", query());
    return NULL;
}

static void select_timeout(const char *what) {
    struct timeval tv = {0, 10000};
    int r = select(0, NULL, NULL, NULL, &tv);
    printf("%s: select -> %d, timeout left %ld.%06ld\n", what, r, (long) tv.tv_sec, (long) tv.tv_usec);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("after execve: 0x%x\n", query());
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("initial: 0x%x\n", query());
    show_proc("initial");
    printf("set ADDR_NO_RANDOMIZE returns old 0x%x\n", (unsigned) personality(ADDR_NO_RANDOMIZE));
    printf("now: 0x%x\n", query());
    show_proc("now");

    pid_t pid = fork();
    if (pid == 0) {
        printf("fork child: 0x%x\n", query());
        personality(PER_LINUX);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent after child's change: 0x%x\n", query());

    pthread_t th;
    pthread_create(&th, NULL, thread_sets, NULL);
    pthread_join(th, NULL);
    printf("main after thread's change: 0x%x\n", query());

    struct utsname u;
    personality(PER_LINUX32);
    uname(&u);
    printf("PER_LINUX32: machine %s\n", u.machine);
    personality(PER_LINUX);
    uname(&u);
    printf("PER_LINUX: machine %s\n", u.machine);
    personality(UNAME26);
    uname(&u);
    unsigned major = 0, minor = 0, patch = 0;
    int fields = sscanf(u.release, "%u.%u.%u", &major, &minor, &patch);
    printf("UNAME26: release %u.%u.x (fields %d), 60 + minor: %s\n", major, minor, fields, patch >= 60 ? "yes" : "no");
    personality(PER_BSD);
    printf("PER_BSD kept: 0x%x\n", query());
    uname(&u);
    printf("PER_BSD: machine %s\n", u.machine);

    personality(READ_IMPLIES_EXEC);
    void *r = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_perms("READ_IMPLIES_EXEC mmap PROT_READ", r);
    void *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_perms("READ_IMPLIES_EXEC mmap PROT_READ|PROT_WRITE", w);
    void *n = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_perms("READ_IMPLIES_EXEC mmap PROT_NONE", n);
    mprotect(n, 4096, PROT_READ);
    show_perms("READ_IMPLIES_EXEC mprotect PROT_READ", n);
    personality(PER_LINUX);
    void *plain = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show_perms("PER_LINUX mmap PROT_READ", plain);

    select_timeout("PER_LINUX");
    personality(STICKY_TIMEOUTS);
    select_timeout("STICKY_TIMEOUTS");

    personality(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | STICKY_TIMEOUTS);
    pid = fork();
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", (char *) NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}
