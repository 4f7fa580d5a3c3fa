// Operations on file descriptors that are not open fail with EBADF, including one that was
// open a moment ago.
#include "jux_test.h"
#include <fcntl.h>

int main(void) {
    SHOW_ERR(syscall(SYS_write, 42, "x", 1));
    SHOW_ERR(syscall(SYS_read, 42, (char[4]){0}, 4));
    SHOW_ERR(syscall(SYS_write, -1, "x", 1));
    SHOW_ERR(syscall(SYS_close, 42));
    SHOW_ERR(syscall(SYS_fcntl, 42, F_GETFD));

    int fds[2];
    SHOW_ERR(pipe(fds));
    SHOW_RET(syscall(SYS_write, fds[1], "abc", 3));
    SHOW_ERR(syscall(SYS_close, fds[1]));
    SHOW_ERR(syscall(SYS_write, fds[1], "x", 1));
    SHOW_ERR(syscall(SYS_close, fds[1]));
    char buf[8] = {0};
    SHOW_RET(syscall(SYS_read, fds[0], buf, sizeof buf));
    printf("read back '%s'\n", buf);
    SHOW_RET(syscall(SYS_read, fds[0], buf, sizeof buf));
    SHOW_ERR(syscall(SYS_close, fds[0]));
    SHOW_ERR(syscall(SYS_read, fds[0], buf, sizeof buf));

    /* Writing to the read end and reading from the write end of a pipe. */
    SHOW_ERR(pipe(fds));
    SHOW_ERR(syscall(SYS_write, fds[0], "x", 1));
    SHOW_ERR(syscall(SYS_read, fds[1], buf, 1));
    return 0;
}
