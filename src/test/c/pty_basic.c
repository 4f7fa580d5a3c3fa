// Pseudo-terminals: posix_openpt/grantpt/unlockpt/ptsname; the slave's node (136:N, the
// opener's uid) and ttyname; master->slave in canonical mode with echo and erase;
// slave->master with ONLCR; raw mode; poll readiness; TCGETA/TCSETA; the slave's c_cflag kept
// CS8|CREAD without parity; locking (EIO) and TIOCGPTPEER; packet mode's status bytes;
// TIOCSWINSZ through the master; error paths (ENOTTY, EINVAL, EAGAIN).
#include "jux_test.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

/* struct termio (TCGETA/TCSETA), which musl does not declare. */
struct termio_ {
    unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line;
    unsigned char c_cc[8];
};

static void show(const char *what, const char *buf, long n) {
    printf("%s: %ld \"", what, n);
    for (long i = 0; i < n; i++) {
        unsigned char c = buf[i];
        if (c >= 32 && c < 127 && c != '\\') putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\"\n");
}

/* Reads exactly n bytes (the pty may hand them over in pieces). */
static long read_n(int fd, char *buf, long n) {
    long got = 0;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 5000) <= 0) break;
        long r = read(fd, buf + got, n - got);
        if (r <= 0) break;
        got += r;
    }
    return got;
}

static int wait_readable(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    return poll(&p, 1, 5000);
}

static short poll_now(int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT | POLLPRI, 0};
    poll(&p, 1, 0);
    return p.revents;
}

static int open_pair(int *slave) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0) return -1;
    *slave = open(ptsname(m), O_RDWR | O_NOCTTY);
    return m;
}

static void basics(void) {
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0);
    SHOW_ERR(grantpt(m));
    SHOW_ERR(unlockpt(m));
    char *name = ptsname(m);
    printf("ptsname starts with /dev/pts/: %s\n", name && strncmp(name, "/dev/pts/", 9) == 0 ? "yes" : "no");
    char buf[64];
    SHOW_ERR(ptsname_r(m, buf, sizeof buf));
    CHECK(strcmp(buf, name) == 0);
    int s = open(name, O_RDWR | O_NOCTTY);
    CHECK(s >= 0);
    CHECK(isatty(m) && isatty(s));
    char *tn = ttyname(s);
    printf("ttyname(slave) == ptsname: %s\n", tn && strcmp(tn, buf) == 0 ? "yes" : "no");
    int n = -1;
    SHOW_ERR(ioctl(m, TIOCGPTN, &n));
    struct stat st;
    SHOW_ERR(fstat(s, &st));
    CHECK(S_ISCHR(st.st_mode));
    CHECK(major(st.st_rdev) == 136 && (int) minor(st.st_rdev) == n);
    CHECK(st.st_uid == getuid());
    printf("slave node owner can read and write: %s\n", (st.st_mode & 0600) == 0600 ? "yes" : "no");
    SHOW_ERR(fstat(m, &st));
    CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 2);
    unsigned int dev = 0;
    SHOW_ERR(ioctl(m, TIOCGDEV, &dev));
    CHECK(major(dev) == 136 && (int) minor(dev) == n);
    char link[64] = {0};
    snprintf(buf, sizeof buf, "/proc/self/fd/%d", m);
    SHOW_ERR(readlink(buf, link, sizeof link - 1));
    printf("master fd links to: %s\n", link);

    // Canonical mode with echo: the master sees the echo (ONLCR makes \n \r\n), the slave a line.
    char r[128];
    SHOW_RET(write(m, "hello\n", 6));
    show("master reads echo", r, read_n(m, r, 7));
    show("slave reads line", r, read(s, r, sizeof r));
    SHOW_RET(write(m, "abx\x7f" "c\n", 6));
    show("echo of an erase", r, read_n(m, r, 10));
    show("slave reads edited line", r, read(s, r, sizeof r));
    SHOW_RET(write(m, "two\nlines\n", 10));
    show("echo", r, read_n(m, r, 12));
    show("first line", r, read(s, r, sizeof r));
    show("second line", r, read(s, r, sizeof r));

    // Slave output: OPOST|ONLCR.
    SHOW_RET(write(s, "a\nb\n", 4));
    show("master reads output", r, read_n(m, r, 6));

    // Poll: the slave is writable, not readable; the master likewise.
    printf("slave poll: %#x\n", poll_now(s));
    printf("master poll: %#x\n", poll_now(m));
    SHOW_RET(write(m, "q\n", 2));
    read_n(m, r, 3);
    CHECK(wait_readable(s) == 1);
    int avail = -1;
    SHOW_ERR(ioctl(s, FIONREAD, &avail));
    printf("FIONREAD on slave: %d\n", avail);
    read(s, r, sizeof r);

    // Raw mode: no echo, no line editing, no output processing.
    struct termios t;
    SHOW_ERR(tcgetattr(s, &t));
    cfmakeraw(&t);
    SHOW_ERR(tcsetattr(s, TCSANOW, &t));
    SHOW_RET(write(m, "xy\x7fz\n", 5));
    show("raw slave reads", r, read_n(s, r, 5));
    SHOW_RET(write(s, "1\n2", 3));
    show("raw master reads", r, read_n(m, r, 3));
    fcntl(m, F_SETFL, O_NONBLOCK);
    SHOW_ERR(read(m, r, sizeof r));
    fcntl(m, F_SETFL, 0);

    // TCGETA/TCSETA: struct termio, the low 16 bits of each flag word.
    struct termio_ tio;
    SHOW_ERR(ioctl(s, TCGETA, &tio));
    CHECK(!(tio.c_lflag & ICANON));
    tio.c_lflag |= ICANON | ECHO;
    SHOW_ERR(ioctl(s, TCSETA, &tio));
    SHOW_ERR(tcgetattr(m, &t));     // the master reports the slave's settings
    CHECK((t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
    SHOW_ERR(ioctl(s, TCSETAW, &tio));
    SHOW_ERR(ioctl(s, TCSETAF, &tio));
    t.c_cflag = (t.c_cflag & ~(CSIZE | CREAD)) | CS7 | PARENB;
    SHOW_ERR(tcsetattr(s, TCSANOW, &t));
    SHOW_ERR(tcgetattr(s, &t));
    printf("c_cflag CS8, CREAD, no PARENB: %s\n",
           (t.c_cflag & CSIZE) == CS8 && (t.c_cflag & CREAD) && !(t.c_cflag & PARENB) ? "yes" : "no");

    // The window size set on the master is the slave's.
    struct winsize ws = {24, 80, 0, 0}, got = {0};
    SHOW_ERR(ioctl(m, TIOCSWINSZ, &ws));
    SHOW_ERR(ioctl(s, TIOCGWINSZ, &got));
    printf("slave winsize %dx%d\n", got.ws_row, got.ws_col);

    // Errors.
    int fds[2];
    pipe(fds);
    SHOW_ERR(ioctl(fds[0], TIOCGPTN, &n));
    SHOW_ERR(ioctl(s, TIOCGPTN, &n));
    SHOW_ERR(ioctl(s, TIOCSPTLCK, &(int){0}));
    SHOW_ERR(ioctl(s, TIOCPKT, &(int){1}));
    SHOW_ERR(ioctl(s, TIOCSIG, SIGINT));
    SHOW_ERR(ioctl(s, TIOCGPTPEER, O_RDWR));
    SHOW_ERR(ioctl(m, TIOCSIG, SIGKILL));
    SHOW_ERR(ioctl(m, TIOCSIG, 0));
    SHOW_ERR(ioctl(m, TIOCNOTTY));
    SHOW_ERR(ioctl(m, TCFLSH, 7));
    SHOW_ERR(ioctl(s, TCFLSH, 7));
    SHOW_ERR(ioctl(m, TIOCGSID, &n));   // the slave controls no session
    n = -1;
    SHOW_ERR(ioctl(m, TIOCGPGRP, &n));
    printf("foreground group of an uncontrolled pty: %d\n", n);
    SHOW_ERR(ioctl(s, TIOCGPGRP, &n));  // not our controlling terminal
    CHECK(!isatty(fds[0]));
    close(fds[0]);
    close(fds[1]);
    close(s);
    close(m);
}

static void locking(void) {
    int m = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    CHECK(m >= 0);
    char name[64];
    SHOW_ERR(ptsname_r(m, name, sizeof name));
    int locked = -1;
    SHOW_ERR(ioctl(m, TIOCGPTLCK, &locked));
    printf("new pty locked: %d\n", locked);
    SHOW_ERR(open(name, O_RDWR | O_NOCTTY));
    SHOW_ERR(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
    SHOW_ERR(ioctl(m, TIOCSPTLCK, &(int){0}));
    SHOW_ERR(ioctl(m, TIOCGPTLCK, &locked));
    printf("after unlock: %d\n", locked);
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(peer >= 0);
    char *tn = ttyname(peer);
    printf("TIOCGPTPEER's ttyname == ptsname: %s\n", tn && strcmp(tn, name) == 0 ? "yes" : "no");
    CHECK(fcntl(peer, F_GETFD) == FD_CLOEXEC);
    SHOW_ERR(ioctl(m, TIOCSPTLCK, &(int){1}));
    SHOW_ERR(open(name, O_RDWR | O_NOCTTY));
    close(peer);
    close(m);
}

static void packet_mode(void) {
    int s, m = open_pair(&s);
    CHECK(m >= 0 && s >= 0);
    int on = -1;
    SHOW_ERR(ioctl(m, TIOCGPKT, &on));
    printf("packet mode: %d\n", on);
    SHOW_ERR(ioctl(m, TIOCPKT, &(int){1}));
    SHOW_ERR(ioctl(m, TIOCGPKT, &on));
    printf("packet mode: %d\n", on);
    char r[64];
    SHOW_RET(write(s, "hi", 2));
    show("data packet", r, read_n(m, r, 3));
    SHOW_ERR(tcflush(s, TCIFLUSH));
    CHECK(wait_readable(m) == 1);
    printf("master poll after a flush: %#x\n", poll_now(m));
    show("flushread status", r, read(m, r, sizeof r));
    SHOW_ERR(tcflush(s, TCOFLUSH));
    show("flushwrite status", r, read(m, r, sizeof r));
    SHOW_ERR(tcflow(s, TCOOFF));
    show("stop status", r, read(m, r, sizeof r));
    SHOW_ERR(tcflow(s, TCOON));
    show("start status", r, read(m, r, sizeof r));
    struct termios t;
    tcgetattr(s, &t);
    t.c_iflag &= ~IXON;
    SHOW_ERR(tcsetattr(s, TCSANOW, &t));
    show("nostop status", r, read(m, r, sizeof r));
    t.c_iflag |= IXON;
    SHOW_ERR(tcsetattr(s, TCSANOW, &t));
    show("dostop status", r, read(m, r, sizeof r));
    SHOW_ERR(ioctl(m, TIOCPKT, &(int){0}));
    SHOW_RET(write(s, "x", 1));
    show("no longer packets", r, read_n(m, r, 1));
    close(s);
    close(m);
}

int main(void) {
    basics();
    locking();
    packet_mode();
    return 0;
}
