// fstat on the standard descriptors (regular files here: the harness redirects them) and on a
// pipe; st_size follows what we write to stdout.
// stdin: three\nlines\nof input
#include "jux_test.h"
#include <sys/stat.h>

static const char *type(mode_t m) {
    return S_ISREG(m) ? "regular file" : S_ISFIFO(m) ? "fifo" : S_ISCHR(m) ? "character device"
         : S_ISDIR(m) ? "directory" : S_ISSOCK(m) ? "socket" : "other";
}

int main(void) {
    /* Before any stdio output (musl flushes its first line at once, glibc does not). */
    struct stat out, in, again;
    int before = fstat(1, &out);
    static const char line[] = "written with write(2)\n";
    write(1, line, sizeof line - 1);
    int after = fstat(1, &again);

    CHECK(before == 0 && after == 0);
    printf("stdout is a %s\n", type(out.st_mode));
    CHECK(out.st_size == 0);
    CHECK(again.st_size == sizeof line - 1);
    CHECK(out.st_nlink == 1);
    CHECK(out.st_ino != 0);
    CHECK(out.st_blksize > 0);
    CHECK(out.st_uid == getuid());
    CHECK(again.st_ino == out.st_ino && again.st_dev == out.st_dev);

    SHOW_ERR(fstat(0, &in));
    printf("stdin is a %s of %lld bytes\n", type(in.st_mode), (long long)in.st_size);
    CHECK(in.st_ino != out.st_ino);

    int fds[2];
    struct stat p;
    SHOW_ERR(pipe(fds));
    SHOW_ERR(fstat(fds[0], &p));
    printf("a pipe is a %s\n", type(p.st_mode));
    SHOW_ERR(fstat(42, &p));
    SHOW_ERR(syscall(SYS_fstat, 1, (void *)1));
    return 0;
}
