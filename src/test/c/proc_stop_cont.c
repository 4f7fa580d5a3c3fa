// Job control: SIGSTOP stops a child (waitpid WUNTRACED sees WIFSTOPPED, state T in /proc),
// SIGCONT continues it (WCONTINUED sees WIFCONTINUED), each reported once; a stop signal
// pending while stopped is discarded by SIGCONT; SIGKILL ends a stopped child; SIGTSTP's
// default is a stop too.
#include "jux_test.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

static pid_t spawn(int gate, int code) {
    fflush(stdout);
    pid_t c = fork();
    // Each child gets its own process group: Linux discards SIGTSTP/SIGTTIN/SIGTTOU sent to a
    // process of an orphaned group, and the group the test harness starts us in may be one.
    // A group whose parent (we) is in another group of the same session is not orphaned.
    if (c > 0) setpgid(c, c);
    if (c == 0) {
        setpgid(0, 0);
        char x;
        while (read(gate, &x, 1) < 0 && errno == EINTR) {}
        _exit(code);
    }
    return c;
}

int main(void) {
    int gate[2];
    pipe(gate);
    int st;
    pid_t c = spawn(gate[0], 4);
    CHECK(kill(c, SIGSTOP) == 0);
    CHECK(waitpid(c, &st, WUNTRACED) == c);
    printf("stopped: %d by %d\n", WIFSTOPPED(st), WSTOPSIG(st));
    printf("state: %c\n", proc_state(c));
    SHOW_RET(waitpid(c, &st, WUNTRACED | WNOHANG));   // reported once
    CHECK(kill(c, SIGCONT) == 0);
    CHECK(waitpid(c, &st, WCONTINUED) == c);
    printf("continued: %d\n", WIFCONTINUED(st));
    SHOW_RET(waitpid(c, &st, WCONTINUED | WNOHANG));
    write(gate[1], "x", 1);
    CHECK(waitpid(c, &st, 0) == c);
    printf("then exited: %d code %d\n", WIFEXITED(st), WEXITSTATUS(st));

    // waitid sees the stop with CLD_STOPPED; WNOWAIT keeps it.
    c = spawn(gate[0], 5);
    kill(c, SIGTSTP);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WSTOPPED | WNOWAIT) == 0);
    printf("waitid: code %d status %d\n", si.si_code, si.si_status);
    CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
    // A SIGTERM sent while stopped waits; SIGCONT lets it act.
    kill(c, SIGTERM);
    usleep(20000);
    SHOW_RET(waitpid(c, &st, WNOHANG));
    kill(c, SIGCONT);
    CHECK(waitpid(c, &st, 0) == c);
    printf("died of %d after continue\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);

    // SIGKILL ends a stopped child.
    c = spawn(gate[0], 6);
    kill(c, SIGSTOP);
    CHECK(waitpid(c, &st, WUNTRACED) == c && WIFSTOPPED(st));
    kill(c, SIGKILL);
    CHECK(waitpid(c, &st, 0) == c);
    printf("killed while stopped: %d\n", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

    // SIGCONT to a running child reports nothing; waitid with WCONTINUED|WNOHANG finds nothing.
    c = spawn(gate[0], 7);
    kill(c, SIGCONT);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, c, &si, WCONTINUED | WNOHANG) == 0);
    printf("nothing: pid %d\n", si.si_pid);
    write(gate[1], "x", 1);
    CHECK(waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 7);
    return 0;
}
