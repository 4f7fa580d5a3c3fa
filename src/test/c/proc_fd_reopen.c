// /proc/self/fd/N, /dev/stdin, /proc/self/cwd are magic links: following one reaches the open
// file (or directory) itself, whatever its name says. So a deleted file, a memfd, a pipe and
// the standard input open again (a new open file description with its own offset and access
// mode), bash's <(...) works, and a renamed working directory is still found. Sockets and
// eventfds cannot be opened that way (ENXIO); openat2's RESOLVE_NO_MAGICLINKS refuses them.
// stdin: line one
// stdin: line two
#include "jux_test.h"
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef RESOLVE_NO_MAGICLINKS
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
struct open_how { unsigned long long flags, mode, resolve; };
#endif

static const char *fdpath(int fd) {
    static char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    return p;
}

static void show_read(const char *what, int fd) {
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) printf("%s: read -> %s\n", what, errname(errno));
    else printf("%s: read %zd \"%s\"\n", what, n, buf);
}

static void show_open(const char *what, const char *path, int flags) {
    int fd = open(path, flags);
    if (fd < 0) printf("%s: open -> %s\n", what, errname(errno));
    else {
        printf("%s: open ok\n", what);
        close(fd);
    }
}

int main(void) {
    // A deleted file: the link names "... (deleted)", but opening it reaches the file, with a fresh offset.
    mkdir("/tmp/jux-reopen", 0755);
    int f = open("/tmp/jux-reopen/gone", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(f, "deleted data", 12);
    unlink("/tmp/jux-reopen/gone");
    int g = open(fdpath(f), O_RDONLY);
    CHECK(g >= 0);
    show_read("deleted, reopened", g);
    show_read("deleted, original at its end", f);
    struct stat a, b;
    fstat(f, &a);
    fstat(g, &b);
    CHECK(a.st_ino == b.st_ino && a.st_nlink == 0);
    // O_CREAT through the link opens the deleted file; it creates nothing named after the link text.
    int h = open(fdpath(f), O_WRONLY | O_CREAT | O_APPEND, 0600);
    CHECK(h >= 0);
    write(h, "+", 1);
    char tail[16] = {0};
    pread(g, tail, sizeof tail - 1, 0);
    printf("after append through the link: \"%s\"\n", tail);
    CHECK(access("/tmp/jux-reopen/gone (deleted)", F_OK) != 0);
    close(f), close(g), close(h);

    // A memfd.
    int m = (int) syscall(SYS_memfd_create, "reopen", 0);
    write(m, "memfd text", 10);
    int m2 = open(fdpath(m), O_RDONLY);
    show_read("memfd, reopened", m2);
    close(m), close(m2);

    // Pipes: either end opens again, in any access mode, and it is the same pipe.
    int p[2];
    pipe(p);
    int w2 = open(fdpath(p[1]), O_WRONLY);
    write(w2, "via reopened writer", 19);
    show_read("pipe, original reader", p[0]);
    int r2 = open(fdpath(p[0]), O_RDONLY | O_NONBLOCK);
    show_read("pipe, reopened reader, empty", r2);
    write(p[1], "xyz", 3);
    show_read("pipe, reopened reader", r2);
    int rw = open(fdpath(p[0]), O_RDWR);
    write(rw, "both", 4);
    show_read("pipe, O_RDWR end", rw);
    struct stat ps, ls;
    fstat(p[0], &ps);
    stat(fdpath(p[0]), &ls);
    CHECK(S_ISFIFO(ls.st_mode) && ls.st_ino == ps.st_ino);
    lstat(fdpath(p[0]), &ls);
    CHECK(S_ISLNK(ls.st_mode));
    close(w2), close(r2), close(rw);
    // Every writer closed: the reader sees end of file.
    close(p[1]);
    show_read("pipe, writers gone", p[0]);
    close(p[0]);

    // Sockets and eventfds are not opened through /proc.
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show_open("socket", fdpath(sv[0]), O_RDWR);
    struct stat ss;
    CHECK(stat(fdpath(sv[0]), &ss) == 0 && S_ISSOCK(ss.st_mode));
    int e = eventfd(0, 0);
    show_open("eventfd", fdpath(e), O_RDWR);
    show_open("closed fd", "/proc/self/fd/99", O_RDONLY);

    // openat2: RESOLVE_NO_MAGICLINKS and RESOLVE_NO_SYMLINKS refuse the jump.
    int t = open("/tmp/jux-reopen/file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(t, "file", 4);
    struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_NO_MAGICLINKS};
    SHOW_ERR(syscall(SYS_openat2, AT_FDCWD, fdpath(t), &how, sizeof how));
    how.resolve = RESOLVE_NO_SYMLINKS;
    SHOW_ERR(syscall(SYS_openat2, AT_FDCWD, fdpath(t), &how, sizeof how));
    how.resolve = 0;
    long ok = syscall(SYS_openat2, AT_FDCWD, fdpath(t), &how, sizeof how);
    CHECK(ok >= 0);
    close((int) ok), close(t);

    // /proc/self/cwd follows the directory, not its old name.
    mkdir("/tmp/jux-reopen/dir", 0755);
    chdir("/tmp/jux-reopen/dir");
    close(open("inside", O_WRONLY | O_CREAT, 0644));
    rename("/tmp/jux-reopen/dir", "/tmp/jux-reopen/moved");
    CHECK(access("/proc/self/cwd/inside", F_OK) == 0);
    chdir("/");
    unlink("/tmp/jux-reopen/moved/inside");
    rmdir("/tmp/jux-reopen/moved");
    unlink("/tmp/jux-reopen/file");
    rmdir("/tmp/jux-reopen");

    // The standard input (a pipe here) opens again through /dev/stdin.
    int in = open("/dev/stdin", O_RDONLY);
    CHECK(in >= 0);
    show_read("/dev/stdin", in);
    fflush(stdout);
    return 0;
}
