// Checks fadvise64 (posix_fadvise, used by coreutils and grep): every advice on a regular file,
// a directory, /dev/null, a socket and an eventfd is accepted; a pipe or FIFO is ESPIPE (even with a
// bad length); a negative length or unknown advice is EINVAL; a bad or O_PATH descriptor is EBADF.
#include "fs_scratch.h"
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

static long fadvise(int fd, long offset, long len, int advice) {
    return syscall(SYS_fadvise64, fd, offset, len, advice);
}

int main(void) {
    scratch_enter();
    int file = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink("file");
    CHECK(file >= 0);
    CHECK(write(file, "hello", 5) == 5);
    for (int advice = POSIX_FADV_NORMAL; advice <= POSIX_FADV_NOREUSE; advice++)
        printf("advice %d on a file: %s\n", advice, fadvise(file, 0, 0, advice) == 0 ? "ok" : errname(errno));
    SHOW_ERR(fadvise(file, 100, 4096, POSIX_FADV_DONTNEED));
    SHOW_ERR(fadvise(file, -1, 10, POSIX_FADV_NORMAL));
    SHOW_ERR(fadvise(file, 0, -1, POSIX_FADV_NORMAL));
    SHOW_ERR(fadvise(file, 0, 0, 6));
    SHOW_ERR(fadvise(file, 0, 0, -1));
    CHECK(posix_fadvise(file, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
    CHECK(posix_fadvise(file, 0, 0, 99) == EINVAL);
    close(file);

    int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
    SHOW_ERR(fadvise(dir, 0, 0, POSIX_FADV_WILLNEED));
    close(dir);
    int null = open("/dev/null", O_WRONLY);
    SHOW_ERR(fadvise(null, 0, 0, POSIX_FADV_DONTNEED));
    close(null);
    int path = open("/tmp", O_PATH);
    SHOW_ERR(fadvise(path, 0, 0, POSIX_FADV_NORMAL));
    close(path);

    int p[2];
    CHECK(pipe(p) == 0);
    SHOW_ERR(fadvise(p[0], 0, 0, POSIX_FADV_NORMAL));
    SHOW_ERR(fadvise(p[1], 0, -1, 99));
    CHECK(posix_fadvise(p[0], 0, 0, POSIX_FADV_NORMAL) == ESPIPE);
    close(p[0]);
    close(p[1]);
    CHECK(mkfifo("fifo", 0600) == 0);
    int fifo = open("fifo", O_RDWR);
    unlink("fifo");
    SHOW_ERR(fadvise(fifo, 0, 0, POSIX_FADV_NORMAL));
    close(fifo);

    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    SHOW_ERR(fadvise(sv[0], 0, 0, POSIX_FADV_NORMAL));
    SHOW_ERR(fadvise(sv[0], 0, 0, 99));
    close(sv[0]);
    close(sv[1]);
    int ev = eventfd(0, 0);
    SHOW_ERR(fadvise(ev, 0, 0, POSIX_FADV_RANDOM));
    close(ev);

    SHOW_ERR(fadvise(-1, 0, 0, POSIX_FADV_NORMAL));
    SHOW_ERR(fadvise(999, 0, 0, POSIX_FADV_NORMAL));
    scratch_leave();
    return 0;
}
