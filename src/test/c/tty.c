// isatty and the terminal ioctls on things that are not terminals: ENOTTY for a pipe and
// for the regular files the harness gives as stdin/stdout, EBADF for a closed descriptor.
#include "jux_test.h"
#include <sys/ioctl.h>
#include <termios.h>

int main(void) {
    int fds[2];
    SHOW_ERR(pipe(fds));
    SHOW_RET(isatty(fds[0]));
    printf("errno = %s\n", errname(errno));
    struct termios t;
    struct winsize w;
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TCGETS, &t));
    SHOW_ERR(syscall(SYS_ioctl, fds[1], TIOCGWINSZ, &w));
    SHOW_ERR(syscall(SYS_ioctl, fds[0], TIOCGPGRP, &(int){0}));
    SHOW_ERR(tcgetattr(fds[1], &t));
    SHOW_RET(isatty(0));
    SHOW_RET(isatty(1));
    SHOW_ERR(syscall(SYS_ioctl, 1, TCGETS, &t));
    SHOW_RET(isatty(42));
    printf("errno = %s\n", errname(errno));
    SHOW_ERR(syscall(SYS_ioctl, 42, TCGETS, &t));
    return 0;
}
