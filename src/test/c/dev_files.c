// /dev's character devices: null, zero, full, urandom (and random) read, write and stat as on
// Linux; /dev/stdout and /dev/fd are symlinks into /proc/self/fd.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static void show_stat(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) { printf("%s: stat failed\n", path); return; }
    printf("%s: chr=%d mode=%o dev=%u:%u\n", path, S_ISCHR(st.st_mode), st.st_mode & 07777,
           major(st.st_rdev), minor(st.st_rdev));
}

int main(void) {
    char buf[256];
    show_stat("/dev/null");
    show_stat("/dev/zero");
    show_stat("/dev/full");
    show_stat("/dev/random");
    show_stat("/dev/urandom");

    int fd = open("/dev/null", O_RDWR);
    CHECK(fd >= 0);
    SHOW_RET(read(fd, buf, sizeof buf));
    SHOW_RET(write(fd, "hello", 5));
    SHOW_RET(lseek(fd, 100, SEEK_SET));
    close(fd);

    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    SHOW_RET(read(fd, buf, sizeof buf));
    int zeros = 1;
    for (size_t k = 0; k < sizeof buf; k++) if (buf[k]) zeros = 0;
    CHECK(zeros);
    SHOW_RET(pread(fd, buf, 10, 5));
    close(fd);

    fd = open("/dev/full", O_RDWR);
    SHOW_ERR(write(fd, "x", 1));
    SHOW_RET(read(fd, buf, 16));
    close(fd);

    fd = open("/dev/urandom", O_RDWR);
    memset(buf, 0, sizeof buf);
    SHOW_RET(read(fd, buf, 64));
    int nonzero = 0;
    for (int k = 0; k < 64; k++) if (buf[k]) nonzero++;
    CHECK(nonzero > 32);
    SHOW_RET(write(fd, "seed", 4));
    close(fd);

    fd = open("/dev/random", O_RDONLY);
    SHOW_RET(read(fd, buf, 16));
    close(fd);

    ssize_t n = readlink("/dev/stdout", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("/dev/stdout -> %s\n", buf);
    n = readlink("/dev/fd", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("/dev/fd -> %s\n", buf);
    return 0;
}
