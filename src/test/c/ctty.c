// Controlling terminals without a terminal: after setsid() the process has none, so
// /dev/tty is ENXIO (with and without O_NOCTTY), the terminal requests on other files are
// ENOTTY, and ttyname/tcgetpgrp on a pipe fail; a child keeps its parent's (missing) terminal.
// setsid again is EPERM (a group leader).
#include "jux_test.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>

static int run(void) {
    pid_t sid = setsid();
    printf("setsid == getpid: %s\n", sid == getpid() ? "yes" : "no");
    SHOW_ERR(open("/dev/tty", O_RDWR));
    SHOW_ERR(open("/dev/tty", O_RDONLY | O_NOCTTY));
    int fds[2];
    SHOW_ERR(pipe(fds));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCSCTTY, 0));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCNOTTY));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCSPGRP, &(int){1}));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCGSID, &(int){0}));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TCFLSH, TCIFLUSH));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TCXONC, TCOON));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCOUTQ, &(int){0}));
    SHOW_ERR(tcgetpgrp(fds[0]));
    printf("ttyname: %s\n", ttyname(fds[0]) ? "a name" : errname(errno));
    SHOW_ERR(setsid());   // already a group leader
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int fd = open("/dev/tty", O_RDWR);
        printf("child: /dev/tty: %s\n", fd < 0 ? errname(errno) : "opened");
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}

// In a child: under Jux the program is pid 1, already a session leader, where setsid fails.
int main(void) {
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        int r = run();
        fflush(stdout);
        _exit(r);
    }
    int status;
    waitpid(p, &status, 0);
    printf("done %d\n", WEXITSTATUS(status));
    return 0;
}
