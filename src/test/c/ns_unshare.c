// unshare(2): unknown flags (EINVAL), what there is nothing to unshare in a single-threaded
// process (CLONE_THREAD/SIGHAND/VM: 0; with a second thread EINVAL), CLONE_SYSVSEM,
// CLONE_FILES and CLONE_FS between processes that clone(2) made share them, namespaces as an
// unprivileged user (EPERM), and CLONE_NEWUTS (clone and unshare): allowed exactly with
// CAP_SYS_ADMIN (the host's root may lack it; Jux's root has it), then a hostname of its own.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

/* CAP_SYS_ADMIN (see has_capability in jux_test.h). */
static int has_sys_admin(void) {
    return has_capability(21);
}

static void try_unshare(const char *what, unsigned long flags) {
    long r = syscall(SYS_unshare, flags);
    printf("unshare(%s): %s\n", what, r == 0 ? "0" : errname(errno));
}

static void *sleeper(void *arg) {
    (void) arg;
    pause();
    return NULL;
}

static char stack[256 * 1024] __attribute__((aligned(16)));
static int pipefd[2];

/* A child sharing the fd table: unshares it, then opens a file the parent must not see. */
static int files_child(void *arg) {
    (void) arg;
    int r = unshare(CLONE_FILES);
    int fd = open("/dev/null", O_RDONLY);
    char msg[64];
    int n = snprintf(msg, sizeof msg, "%d %d", r, fd);
    write(pipefd[1], msg, n);
    return 0;
}

/* A child sharing cwd: unshares it, then changes directory. */
static int fs_child(void *arg) {
    (void) arg;
    int r = unshare(CLONE_FS);
    int c = chdir("/tmp");
    char msg[64];
    int n = snprintf(msg, sizeof msg, "%d %d", r, c);
    write(pipefd[1], msg, n);
    return 0;
}

/* A child in a UTS namespace of its own (clone with CLONE_NEWUTS) renames its host. */
static int uts_child(void *arg) {
    (void) arg;
    struct utsname u;
    int r = sethostname("jux-inner", 9);
    uname(&u);
    return r == 0 && strcmp(u.nodename, "jux-inner") == 0 ? 0 : 1;
}

static void run_clone(const char *what, int (*fn)(void *), int flags) {
    char buf[64] = "";
    pid_t pid = clone(fn, stack + sizeof stack, flags | SIGCHLD, NULL);
    if (pid < 0) {
        printf("%s: clone: %s\n", what, errname(errno));
        return;
    }
    int status;
    waitpid(pid, &status, 0);
    ssize_t n = read(pipefd[0], buf, sizeof buf - 1);
    if (n > 0) buf[n] = 0;
    int r = -9, x = -9;
    sscanf(buf, "%d %d", &r, &x);
    printf("%s: child's unshare %d\n", what, r);
    if (strcmp(what, "CLONE_FILES") == 0) {
        printf("  child's new fd %d is open in the parent: %s\n", x, fcntl(x, F_GETFD) == 0 ? "yes" : "no");
    } else {
        char cwd[256];
        printf("  child's chdir %d, parent's cwd still /: %s\n", x, getcwd(cwd, sizeof cwd) && strcmp(cwd, "/") == 0 ? "yes" : "no");
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (pipe(pipefd) != 0) return 1;
    try_unshare("0", 0);
    try_unshare("0x1", 1);
    try_unshare("1 << 40", 1UL << 40);
    try_unshare("CLONE_SYSVSEM", CLONE_SYSVSEM);
    try_unshare("CLONE_THREAD", CLONE_THREAD);
    try_unshare("CLONE_SIGHAND", CLONE_SIGHAND);
    try_unshare("CLONE_VM", CLONE_VM);
    try_unshare("CLONE_FILES", CLONE_FILES);
    try_unshare("CLONE_FS", CLONE_FS);
    try_unshare("CLONE_FILES|CLONE_FS", CLONE_FILES | CLONE_FS);

    if (chdir("/") != 0) return 1;
    run_clone("CLONE_FILES", files_child, CLONE_FILES);
    run_clone("CLONE_FS", fs_child, CLONE_FS);

    struct utsname before, after;
    uname(&before);
    int cap = has_sys_admin();
    pid_t pid = clone(uts_child, stack + sizeof stack, CLONE_NEWUTS | SIGCHLD, NULL);
    int ok;
    if (pid < 0) {
        ok = !cap && errno == EPERM;
    } else {
        int status;
        waitpid(pid, &status, 0);
        uname(&after);
        ok = cap && WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(before.nodename, after.nodename) == 0;
    }
    printf("clone(CLONE_NEWUTS) as CAP_SYS_ADMIN says, the parent's name kept: %s\n", ok ? "yes" : "no");

    pid = fork();
    if (pid == 0) {
        long r = syscall(SYS_unshare, CLONE_NEWUTS);
        int good;
        if (r != 0) {
            good = !cap && errno == EPERM;
        } else {
            struct utsname u;
            good = cap && sethostname("jux-unshared", 12) == 0 && uname(&u) == 0 && strcmp(u.nodename, "jux-unshared") == 0;
        }
        printf("unshare(CLONE_NEWUTS) as CAP_SYS_ADMIN says: %s\n", good ? "yes" : "no");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    uname(&after);
    printf("the parent's name after the child's unshare kept: %s\n", strcmp(before.nodename, after.nodename) == 0 ? "yes" : "no");

    pid = fork();
    if (pid == 0) {
        if (setresuid(65534, 65534, 65534) != 0) _exit(1);
        try_unshare("CLONE_NEWUTS as nobody", CLONE_NEWUTS);
        try_unshare("CLONE_NEWNS as nobody", CLONE_NEWNS);
        try_unshare("CLONE_NEWIPC as nobody", CLONE_NEWIPC);
        try_unshare("CLONE_NEWNET as nobody", CLONE_NEWNET);
        try_unshare("CLONE_NEWPID as nobody", CLONE_NEWPID);
        try_unshare("CLONE_NEWCGROUP as nobody", CLONE_NEWCGROUP);
        errno = 0;
        printf("sethostname as nobody: %s\n", sethostname("x", 1) == 0 ? "0" : errname(errno));
        _exit(0);
    }
    waitpid(pid, NULL, 0);

    pthread_t th;
    pthread_create(&th, NULL, sleeper, NULL);
    try_unshare("CLONE_THREAD with two threads", CLONE_THREAD);
    try_unshare("CLONE_VM with two threads", CLONE_VM);
    try_unshare("CLONE_SIGHAND with two threads", CLONE_SIGHAND);
    return 0;
}
