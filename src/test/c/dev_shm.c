// /dev/shm is a tmpfs of its own (01777): shm_open creates an object there that a child shares
// through MAP_SHARED, read(2) sees, and shm_unlink removes; /dev/full, /dev/fd and /dev/stdin
// as Linux's devtmpfs has them.
// cflags: -lrt
#include "jux_test.h"
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

int main(void) {
    struct stat st;
    CHECK(stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode));
    printf("/dev/shm mode %o\n", st.st_mode & 07777);
    struct statfs sf;
    CHECK(statfs("/dev/shm", &sf) == 0 && sf.f_type == 0x01021994);   /* TMPFS_MAGIC */

    /* A name of this process's own: the flavours of the test run natively at the same time. */
    char name[64], path[80];
    snprintf(name, sizeof name, "/jux-dev-shm-%d", (int)getpid());
    snprintf(path, sizeof path, "/dev/shm%s", name);
    int fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
    CHECK(fd >= 0);
    SHOW_ERR(shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600));
    SHOW_ERR(ftruncate(fd, 4096));
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    fflush(stdout);
    if (fork() == 0) {
        strcpy(p, "written by the child");
        _exit(0);
    }
    wait(NULL);
    printf("parent's mapping: %s\n", p);
    int again = shm_open(name, O_RDONLY, 0);
    char buf[32] = {0};
    CHECK(read(again, buf, 20) == 20);
    printf("read through a second open: %s\n", buf);
    CHECK(fstat(again, &st) == 0);
    printf("size %lld mode %o\n", (long long)st.st_size, st.st_mode & 0777);
    CHECK(access(path, F_OK) == 0);
    SHOW_ERR(shm_unlink(name));
    SHOW_ERR(shm_open(name, O_RDONLY, 0));
    SHOW_ERR(shm_unlink(name));

    /* The memory devices' numbers and modes, and the fd links. */
    const char *devices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"};
    for (unsigned i = 0; i < sizeof devices / sizeof *devices; i++) {
        CHECK(stat(devices[i], &st) == 0);
        printf("%s: char %d, %u:%u, mode %o\n", devices[i], S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev), st.st_mode & 0777);
    }
    int full = open("/dev/full", O_WRONLY);
    SHOW_ERR(write(full, "x", 1));
    char link[64];
    ssize_t n = readlink("/dev/stdin", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("/dev/stdin -> %s\n", link);
    n = readlink("/dev/stderr", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("/dev/stderr -> %s\n", link);
    return 0;
}
