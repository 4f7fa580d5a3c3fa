// Closing one side of a pseudo-terminal: after every slave fd is closed the master reads what
// is left, then EIO, and polls POLLHUP; opening the slave again clears that. After the master
// closes, an open slave fd reads 0, fails writes and ioctls with EIO (TIOCSPGRP with ENOTTY)
// and polls everything at once; the /dev/pts node is gone (ENOENT). A full master makes a
// non-blocking slave write return EAGAIN, and reading makes room again.
#include "jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>

static short poll_now(int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    return p.revents;
}

int main(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(m);
    unlockpt(m);
    char name[64];
    ptsname_r(m, name, sizeof name);
    fcntl(m, F_SETFL, O_NONBLOCK);
    char b[64];
    SHOW_ERR(read(m, b, sizeof b));          // no slave opened yet: nothing to read, no EIO
    printf("master poll before any slave: %#x\n", poll_now(m));

    int s = open(name, O_RDWR | O_NOCTTY);
    int s2 = dup(s);
    SHOW_RET(write(s, "bye", 3));
    close(s);
    printf("master poll with one slave fd left: %#x\n", poll_now(m) & POLLHUP);
    close(s2);
    struct pollfd p = {m, POLLIN, 0};
    poll(&p, 1, 5000);
    printf("master poll after the slave closed: %#x\n", p.revents);
    fcntl(m, F_SETFL, 0);
    SHOW_RET(read(m, b, sizeof b));          // what the slave wrote is still there
    SHOW_ERR(read(m, b, sizeof b));          // then EIO
    SHOW_ERR(read(m, b, sizeof b));

    s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0);
    fcntl(m, F_SETFL, O_NONBLOCK);
    SHOW_ERR(read(m, b, sizeof b));          // reopened: EAGAIN again
    printf("master poll after reopening: %#x\n", poll_now(m));

    // Fill the master's queue from a non-blocking slave in raw mode.
    struct termios t;
    tcgetattr(s, &t);
    cfmakeraw(&t);
    tcsetattr(s, TCSANOW, &t);
    int sn = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
    char chunk[512];
    memset(chunk, 'z', sizeof chunk);
    long total = 0, r;
    // Linux moves what the slave wrote into the master's read buffer from a worker thread, so
    // room can open up just after a write failed: fill until a write 20 ms after the last
    // failure fails too, or POLLOUT depends on when that worker ran.
    int settled = 0;
    while (!settled) {
        while ((r = write(sn, chunk, sizeof chunk)) > 0) total += r;
        usleep(20000);
        r = write(sn, chunk, sizeof chunk);
        if (r > 0) total += r;
        else settled = 1;
    }
    printf("slave write when full: %s\n", errname(errno));
    printf("more than 4 KiB buffered: %s\n", total > 4096 ? "yes" : "no");
    printf("slave poll when full: %#x\n", poll_now(sn) & POLLOUT);
    fcntl(m, F_SETFL, 0);
    long drained = 0;
    while (drained < total) {
        r = read(m, chunk, sizeof chunk);
        if (r <= 0) break;
        drained += r;
    }
    printf("read back all: %s\n", drained == total ? "yes" : "no");
    printf("slave poll after draining: %#x\n", poll_now(sn) & POLLOUT);
    SHOW_RET(write(sn, "ok", 2));
    close(sn);

    SHOW_ERR(close(m));
    SHOW_RET(read(s, b, sizeof b));
    SHOW_ERR(write(s, "x", 1));
    SHOW_ERR(tcgetattr(s, &t));
    SHOW_ERR(ioctl(s, TIOCSPGRP, &(int){1}));
    SHOW_ERR(ioctl(s, FIONREAD, &(int){0}));
    printf("slave poll after hang-up: %#x\n", poll_now(s));
    SHOW_ERR(open(name, O_RDWR | O_NOCTTY));
    SHOW_ERR(close(s));
    return 0;
}
