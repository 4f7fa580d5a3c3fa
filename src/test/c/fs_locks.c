// flock and fcntl record locks (POSIX and OFD): conflicts between two open file descriptions of
// one file, conversions, splitting and merging of ranges, F_GETLK reports, release on close,
// and the errors man 2 documents, in a scratch directory under /tmp.
#include "fs_scratch.h"
#include <sys/file.h>

static void getlk(int fd, int cmd, short type, short whence, long start, long len) {
    struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len, .l_pid = 0};
    errno = 0;
    int r = fcntl(fd, cmd, &fl);
    if (r < 0) { printf("getlk %s\n", errname(errno)); return; }
    printf("getlk type %s whence %d start %ld len %ld pid %s\n",
           fl.l_type == F_UNLCK ? "UN" : fl.l_type == F_RDLCK ? "RD" : "WR", fl.l_whence,
           (long)fl.l_start, (long)fl.l_len, fl.l_pid == getpid() ? "self" : fl.l_pid == -1 ? "-1" : fl.l_pid == 0 ? "0" : "other");
}

static int setlk(int fd, int cmd, short type, short whence, long start, long len) {
    struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len, .l_pid = 0};
    errno = 0;
    int r = fcntl(fd, cmd, &fl);
    printf("setlk(%d %d %ld %ld) = %d %s\n", type, whence, start, len, r, r < 0 ? errname(errno) : "");
    return r;
}

int main(void) {
    scratch_enter();
    int a = open("f", O_RDWR | O_CREAT, 0644);
    write(a, "0123456789", 10);
    int b = open("f", O_RDWR);
    int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);

    /* flock: per open file description */
    SHOW_RET(flock(a, LOCK_SH));
    SHOW_RET(flock(b, LOCK_SH | LOCK_NB));
    SHOW_ERR(flock(b, LOCK_EX | LOCK_NB));
    SHOW_RET(flock(a, LOCK_UN));
    SHOW_RET(flock(b, LOCK_EX | LOCK_NB));
    SHOW_ERR(flock(a, LOCK_SH | LOCK_NB));
    int d = dup(b);
    SHOW_RET(flock(d, LOCK_EX | LOCK_NB));
    close(d);
    SHOW_ERR(flock(a, LOCK_EX | LOCK_NB));
    SHOW_RET(flock(b, LOCK_SH));
    SHOW_RET(flock(a, LOCK_SH | LOCK_NB));
    SHOW_RET(flock(a, LOCK_UN));
    SHOW_RET(flock(a, LOCK_UN));
    close(b);                          /* the last fd of b's description: its lock goes */
    SHOW_RET(flock(a, LOCK_EX | LOCK_NB));
    SHOW_ERR(flock(a, 0));
    SHOW_ERR(flock(a, LOCK_SH | LOCK_EX));
    SHOW_ERR(flock(a, LOCK_NB));
    SHOW_ERR(flock(99, LOCK_SH));
    SHOW_RET(flock(ro, LOCK_UN));
    /* flock and fcntl locks do not see each other */
    getlk(ro, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
    SHOW_RET(flock(a, LOCK_UN));
    b = open("f", O_RDWR);

    /* OFD locks conflict between descriptions */
    setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 2, 3);
    getlk(b, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
    getlk(b, F_OFD_GETLK, F_RDLCK, SEEK_SET, 5, 10);
    getlk(a, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
    setlk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 4, 1);
    setlk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 5, 0);
    getlk(a, F_OFD_GETLK, F_WRLCK, SEEK_SET, 6, 1);
    /* splitting: unlock the middle of a's range */
    setlk(a, F_OFD_SETLK, F_UNLCK, SEEK_SET, 3, 1);
    getlk(b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 3, 1);
    getlk(b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 4);
    getlk(b, F_OFD_GETLK, F_WRLCK, SEEK_SET, 4, 1);
    /* merging: adjacent read locks of one owner become one */
    setlk(a, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    setlk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 5);
    getlk(a, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 0);
    /* whence and negative lengths */
    lseek(a, 8, SEEK_SET);
    setlk(b, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);
    setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_CUR, -2, 2);
    getlk(b, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
    setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_END, -3, -2);
    getlk(b, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
    setlk(a, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);

    /* POSIX locks belong to the process: no conflict between its own fds */
    setlk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 4);
    setlk(b, F_SETLK, F_WRLCK, SEEK_SET, 2, 4);
    getlk(b, F_GETLK, F_WRLCK, SEEK_SET, 0, 0);
    /* ... but they conflict with OFD locks */
    getlk(ro, F_OFD_GETLK, F_RDLCK, SEEK_SET, 0, 0);
    setlk(ro, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 1);
    setlk(ro, F_OFD_SETLK, F_RDLCK, SEEK_SET, 6, 1);
    getlk(a, F_GETLK, F_WRLCK, SEEK_SET, 6, 0);
    setlk(a, F_SETLK, F_WRLCK, SEEK_SET, 6, 1);
    /* closing any fd of the file drops the process's POSIX locks */
    int c = open("f", O_RDONLY);
    close(c);
    getlk(ro, F_OFD_GETLK, F_WRLCK, SEEK_SET, 0, 6);
    setlk(ro, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0);

    /* errors */
    setlk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1);
    setlk(ro, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1);
    setlk(a, F_SETLK, 7, SEEK_SET, 0, 1);
    setlk(a, F_SETLK, F_RDLCK, 9, 0, 1);
    setlk(a, F_SETLK, F_RDLCK, SEEK_SET, -1, 1);
    setlk(a, F_SETLK, F_RDLCK, SEEK_SET, 2, -5);
    setlk(a, F_SETLK, F_RDLCK, SEEK_END, 0x7fffffffffffffffL, 1);
    getlk(a, F_GETLK, F_UNLCK, SEEK_SET, 0, 0);
    struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_pid = 1};
    SHOW_ERR(fcntl(a, F_OFD_SETLK, &fl));
    SHOW_ERR(fcntl(a, F_OFD_GETLK, &fl));
    SHOW_ERR(fcntl(a, F_SETLK, (void *)8));
    SHOW_ERR(fcntl(99, F_SETLK, &fl));
    int p = open("f", O_PATH);
    fl.l_pid = 0;
    SHOW_ERR(fcntl(p, F_GETLK, &fl));
    SHOW_ERR(flock(p, LOCK_SH));
    /* a blocking request that does not conflict returns at once */
    setlk(a, F_SETLKW, F_WRLCK, SEEK_SET, 0, 0);
    setlk(b, F_OFD_SETLKW, F_UNLCK, SEEK_SET, 0, 0);
    scratch_leave();
    return 0;
}
