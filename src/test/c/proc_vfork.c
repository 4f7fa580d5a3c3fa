// With vfork the parent waits until the child exits; the child runs in the parent's memory, so
// what it writes before _exit is seen by the parent. clone with CLONE_VM|CLONE_VFORK and a
// stack of its own (as posix_spawn does) and clone with bad flag combinations.
#include "jux_test.h"
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static volatile int shared_value;
static int child_fn(void *arg) {
    shared_value = *(int *) arg;
    return 12;
}

int main(void) {
    int st;
    fflush(stdout);
    pid_t c = vfork();
    if (c == 0) {
        shared_value = 41;
        _exit(2);
    }
    printf("after vfork: value %d\n", shared_value);
    CHECK(waitpid(c, &st, 0) == c);
    printf("exit code %d\n", WEXITSTATUS(st));

    static char stack[64 * 1024] __attribute__((aligned(16)));
    int arg = 77;
    c = clone(child_fn, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &arg);
    CHECK(c > 0);
    printf("after clone(CLONE_VM|CLONE_VFORK): value %d\n", shared_value);
    CHECK(waitpid(c, &st, 0) == c);
    printf("exit code %d\n", WEXITSTATUS(st));

    // A child with another exit signal is a "clone child": only __WCLONE or __WALL wait for it.
    signal(SIGUSR2, SIG_IGN);
    arg = 5;
    c = clone(child_fn, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGUSR2, &arg);
    CHECK(c > 0);
    SHOW_ERR(waitpid(c, &st, WNOHANG));
    CHECK(waitpid(c, &st, __WCLONE) == c);
    printf("clone child exit code %d\n", WEXITSTATUS(st));

    errno = 0;
    SHOW_ERR(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0));
    SHOW_ERR(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0));
    SHOW_ERR(syscall(SYS_clone, CLONE_FS | CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0));
    return 0;
}
