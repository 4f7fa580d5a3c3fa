// execve of /proc/self/exe from a single process: the second image sees the new argv, envp
// and AT_EXECFN; /proc/self/exe, comm and cmdline follow exec; close-on-exec fds are closed
// and the others stay; handled signals are back to SIG_DFL, ignored ones stay ignored; the
// signal mask and pending signals survive.
// args: first
// env: ORIGINAL=1
#include "jux_test.h"
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/auxv.h>

static void handler(int sig) { (void)sig; }

static void second(int argc, char **argv, char **envp) {
    printf("second image, argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        if (i == 2) printf("argv[2]: (the first image's exe path)\n");
        else printf("argv[%d]: %s\n", i, argv[i]);
    }
    int n = 0;
    for (char **e = envp; *e; e++) printf("envp[%d]: %s\n", n++, *e);
    printf("ORIGINAL: %s\n", getenv("ORIGINAL") ? getenv("ORIGINAL") : "(unset)");

    char exe[PATH_MAX + 1];
    ssize_t len = readlink("/proc/self/exe", exe, PATH_MAX);
    exe[len > 0 ? len : 0] = '\0';
    CHECK(strcmp(exe, argv[2]) == 0);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN: %s\n", execfn ? execfn : "(none)");

    char comm[32] = "";
    int fd = open("/proc/self/comm", O_RDONLY);
    ssize_t c = read(fd, comm, sizeof comm - 1);
    comm[c > 0 ? c : 0] = '\0';
    close(fd);
    printf("comm: %s", comm);

    char cmdline[256];
    fd = open("/proc/self/cmdline", O_RDONLY);
    ssize_t m = read(fd, cmdline, sizeof cmdline);
    close(fd);
    size_t expected = 0;
    for (int i = 0; i < argc; i++) expected += strlen(argv[i]) + 1;
    CHECK(m == (ssize_t)expected && memcmp(cmdline, argv[0], m) == 0);

    SHOW_ERR(fcntl(10, F_GETFD));                  /* was close-on-exec */
    SHOW_RET(fcntl(11, F_GETFD));                  /* was not */
    char byte;
    SHOW_RET(read(11, &byte, 1));                  /* /dev/zero, still open */
    SHOW_ERR(fcntl(12, F_GETFD));                  /* close_range(CLOEXEC) marked it */

    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    CHECK(sa.sa_handler == SIG_DFL);
    CHECK((sa.sa_flags & SA_RESTART) == 0);
    sigaction(SIGUSR2, NULL, &sa);
    CHECK(sa.sa_handler == SIG_IGN);
    sigaction(SIGINT, NULL, &sa);
    CHECK(sa.sa_handler == SIG_DFL);

    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    CHECK(sigismember(&mask, SIGTERM));
    CHECK(!sigismember(&mask, SIGUSR1));
    sigpending(&pending);
    CHECK(sigismember(&pending, SIGTERM));
}

int main(int argc, char **argv, char **envp) {
    if (argc >= 2 && strcmp(argv[1], "second") == 0) {
        second(argc, argv, envp);
        return 0;
    }
    printf("first image, argc %d\n", argc);
    int null = open("/dev/null", O_RDONLY);
    int zero = open("/dev/zero", O_RDONLY);
    CHECK(dup3(null, 10, O_CLOEXEC) == 10);
    CHECK(dup2(zero, 11) == 11);
    CHECK(dup2(zero, 12) == 12);
    CHECK(syscall(SYS_close_range, 12, 12, 4 /* CLOSE_RANGE_CLOEXEC */) == 0);
    close(null);
    close(zero);

    struct sigaction sa = {0};
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGUSR2, &sa, NULL);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    kill(getpid(), SIGTERM);                       /* stays pending across exec */

    char exe[PATH_MAX + 1];
    ssize_t len = readlink("/proc/self/exe", exe, PATH_MAX);
    exe[len > 0 ? len : 0] = '\0';
    char *args[] = {"renamed-zero", "second", exe, "last arg", NULL};
    char *env[] = {"MARK=yes", "EMPTY=", "B=2", NULL};
    fflush(stdout);
    execve("/proc/self/exe", args, env);
    printf("execve failed: %s\n", errname(errno));
    return 1;
}
