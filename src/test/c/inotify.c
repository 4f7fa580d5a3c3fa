// inotify(7) events: what file operations queue on a watch of their directory and of the file itself,
// in which order, when consecutive events merge, move cookies (paired, never their values), and the
// watch mask options (IN_ONESHOT, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW,
// IN_EXCL_UNLINK). Watch descriptors are printed relative to the first one of their instance.
#include "fs_scratch.h"
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/stat.h>

static int ifd, base_wd;
static const char *labels[32];
static int lens_ok = 1, show_len;

static const char *const bit_names[32] = {
    "IN_ACCESS", "IN_MODIFY", "IN_ATTRIB", "IN_CLOSE_WRITE", "IN_CLOSE_NOWRITE", "IN_OPEN",
    "IN_MOVED_FROM", "IN_MOVED_TO", "IN_CREATE", "IN_DELETE", "IN_DELETE_SELF", "IN_MOVE_SELF",
    [13] = "IN_UNMOUNT", "IN_Q_OVERFLOW", "IN_IGNORED", [30] = "IN_ISDIR",
};

static void print_mask(uint32_t mask) {
    const char *sep = "";
    for (int b = 0; b < 32; b++) {
        if (!(mask & (1u << b))) continue;
        if (bit_names[b]) printf("%s%s", sep, bit_names[b]);
        else printf("%s%#x", sep, 1u << b);
        sep = "|";
    }
    if (!mask) printf("0");
}

/* A new inotify instance for one section. */
static void start(const char *title) {
    printf("\n== %s\n", title);
    ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (ifd < 0) printf("inotify_init1: %s\n", errname(errno));
    base_wd = 0;
    memset(labels, 0, sizeof labels);
}

/* Ends a section: closes the instance and removes what the section made. */
static void finish(const char *dir) {
    close(ifd);
    remove_tree(AT_FDCWD, dir);
}

/* Adds a watch and prints its wd relative to the instance's first one. */
static int watch(const char *label, const char *path, uint32_t mask) {
    int wd = inotify_add_watch(ifd, path, mask);
    if (wd < 0) {
        printf("watch %s: %s\n", label, errname(errno));
        return wd;
    }
    if (!base_wd) base_wd = wd;
    int rel = wd - base_wd;
    printf("watch %s: wd first+%d\n", label, rel);
    if (rel >= 0 && rel < 32 && !labels[rel]) labels[rel] = label;
    return wd;
}

/* Reads and prints every queued event; move cookies are shown as #1, #2... in order of appearance. */
static void drain(const char *what) {
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    uint32_t cookies[16];
    int ncookies = 0, n = 0;
    printf("-- %s\n", what);
    for (;;) {
        ssize_t r = read(ifd, buf, sizeof buf);
        if (r < 0) {
            if (errno != EAGAIN) printf("   read: %s\n", errname(errno));
            break;
        }
        for (char *p = buf; p < buf + r;) {
            struct inotify_event *e = (struct inotify_event *)p;
            int rel = e->wd - base_wd;
            n++;
            if (e->wd == -1) printf("   wd=-1 ");
            else if (rel >= 0 && rel < 32 && labels[rel]) printf("   %s ", labels[rel]);
            else printf("   wd first+%d ", rel);
            print_mask(e->mask);
            if (e->len) printf(" \"%s\"", e->name);
            if (show_len && e->len) printf(" len=%u", e->len);
            if (e->len % 16) lens_ok = 0;
            if (e->cookie) {
                int k = 0;
                while (k < ncookies && cookies[k] != e->cookie) k++;
                if (k == ncookies && ncookies < 16) cookies[ncookies++] = e->cookie;
                printf(" cookie#%d", k + 1);
            } else if (e->mask & IN_MOVE) {
                printf(" cookie=0");
            }
            printf("\n");
            p += sizeof *e + e->len;
        }
    }
    if (!n) printf("   (none)\n");
}

static void put(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    write(fd, text, strlen(text));
    close(fd);
}

static void open_read_write(void) {
    start("create, write, read, close; merging");
    mkdir("d", 0755);
    watch("d", "d", IN_ALL_EVENTS);
    int fd = open("d/f", O_CREAT | O_WRONLY, 0644);
    drain("open(O_CREAT|O_WRONLY) of a new file");
    write(fd, "hello", 5);
    drain("write");
    close(fd);
    drain("close");
    char b[16];
    fd = open("d/f", O_RDONLY);
    read(fd, b, 3);
    drain("open(O_RDONLY), read 3 bytes");
    read(fd, b, sizeof b);
    read(fd, b, sizeof b);
    drain("read the last 2 bytes, then read 0 bytes at EOF");
    read(fd, b, sizeof b);
    drain("read 0 bytes at EOF alone");
    close(fd);
    drain("close");
    fd = open("d/f", O_RDWR);
    write(fd, "a", 1);
    write(fd, "b", 1);
    drain("open(O_RDWR), two writes in a row");
    write(fd, "c", 1);
    pread(fd, b, 1, 0);
    write(fd, "d", 1);
    drain("write, pread, write");
    write(fd, "", 0);
    drain("write of 0 bytes");
    close(fd);
    close(open("d/f", O_WRONLY));
    drain("close; then open(O_WRONLY) and close without writing");
    close(open("d/f", O_RDONLY));
    close(open("d/f", O_RDONLY));
    drain("open(O_RDONLY)+close twice");
    show_len = 1;
    close(open("d/abcdefghijklmno", O_CREAT | O_WRONLY, 0644));
    close(open("d/abcdefghijklmnop", O_CREAT | O_WRONLY, 0644));
    drain("names of 15 and 16 bytes (len counts the NUL padding)");
    show_len = 0;
    finish("d");
}

static void dir_and_file(void) {
    start("a watch on a file and on its directory");
    mkdir("d", 0755);
    put("d/f", "data");
    watch("d", "d", IN_ALL_EVENTS);
    watch("f", "d/f", IN_ALL_EVENTS);
    int fd = open("d/f", O_RDWR);
    drain("open(O_RDWR)");
    write(fd, "x", 1);
    drain("write");
    write(fd, "y", 1);
    write(fd, "z", 1);
    drain("two writes in a row");
    fchmod(fd, 0600);
    drain("fchmod");
    close(fd);
    drain("close");
    finish("d");
}

static void create_delete(void) {
    start("mkdir, rmdir, symlink, link, mkfifo, unlink");
    mkdir("d", 0755);
    put("d/f", "data");
    watch("d", "d", IN_ALL_EVENTS);
    watch("f", "d/f", IN_ALL_EVENTS);
    mkdir("d/sub", 0755);
    drain("mkdir d/sub");
    watch("sub", "d/sub", IN_ALL_EVENTS);
    put("d/sub/x", "");
    unlink("d/sub/x");
    drain("create and unlink d/sub/x (d is not watched recursively)");
    rmdir("d/sub");
    drain("rmdir d/sub");
    symlink("f", "d/ln");
    drain("symlink d/ln -> f");
    link("d/f", "d/h");
    drain("link d/f d/h");
    mkfifo("d/p", 0644);
    drain("mkfifo d/p");
    unlink("d/p");
    unlink("d/ln");
    drain("unlink d/p, d/ln");
    unlink("d/h");
    drain("unlink d/h (f still has a link)");
    unlink("d/f");
    drain("unlink d/f (the last link)");
    put("d/g", "data");
    drain("create d/g");
    watch("g", "d/g", IN_ALL_EVENTS);
    int fd = open("d/g", O_RDWR);
    drain("open(O_RDWR) d/g");
    unlink("d/g");
    drain("unlink d/g while it is open");
    write(fd, "x", 1);
    drain("write to the unlinked d/g");
    close(fd);
    drain("close the unlinked d/g");
    finish("d");
}

static void renames(void) {
    start("rename");
    mkdir("d", 0755);
    mkdir("e", 0755);
    put("d/a", "a");
    put("d/t", "t");
    mkdir("d/s", 0755);
    watch("d", "d", IN_ALL_EVENTS);
    watch("e", "e", IN_ALL_EVENTS);
    watch("a", "d/a", IN_ALL_EVENTS);
    watch("t", "d/t", IN_ALL_EVENTS);
    watch("s", "d/s", IN_ALL_EVENTS);
    rename("d/a", "d/b");
    drain("rename d/a d/b");
    rename("d/b", "e/c");
    rename("e/c", "d/b");
    drain("rename d/b e/c; rename e/c d/b");
    rename("d/b", "d/b");
    drain("rename d/b d/b (no-op)");
    rename("d/b", "d/t");
    drain("rename d/b over d/t");
    rename("d/s", "d/s2");
    drain("rename of the directory d/s to d/s2");
    rename("d/s2", "e/s");
    drain("rename of the directory d/s2 to e/s");
    put("d/x", "x");
    mkdir("d/y", 0755);
    drain("create d/x and mkdir d/y");
    SHOW_ERR(rename("d/x", "d/y"));
    SHOW_ERR(rename("d/y", "d/x"));
    drain("failed renames");
    finish("d");
    remove_tree(AT_FDCWD, "e");
}

static void attributes(void) {
    start("attributes and size");
    mkdir("d", 0755);
    put("d/f", "0123456789");
    watch("d", "d", IN_ALL_EVENTS);
    watch("f", "d/f", IN_ALL_EVENTS);
    chmod("d/f", 0600);
    drain("chmod");
    int fd = open("d/f", O_RDWR);
    drain("open(O_RDWR)");
    fchown(fd, getuid(), getgid());
    drain("fchown to its own uid and gid");
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    utimensat(AT_FDCWD, "d/f", ts, 0);
    drain("utimensat with both times");
    utimensat(AT_FDCWD, "d/f", NULL, 0);
    drain("utimensat(NULL): now");
    ts[1].tv_nsec = UTIME_OMIT;
    utimensat(AT_FDCWD, "d/f", ts, 0);
    drain("utimensat with the atime only");
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_nsec = 0;
    utimensat(AT_FDCWD, "d/f", ts, 0);
    drain("utimensat with the mtime only");
    ts[1].tv_nsec = UTIME_OMIT;
    utimensat(AT_FDCWD, "d/f", ts, 0);
    drain("utimensat with both UTIME_OMIT");
    truncate("d/f", 4);
    drain("truncate to 4");
    truncate("d/f", 4);
    drain("truncate to the same size");
    ftruncate(fd, 8);
    drain("ftruncate to 8");
    close(fd);
    drain("close");
    chmod("d", 0700);
    drain("chmod of the watched directory itself");
    finish("d");
}

static void directories(void) {
    start("opendir, readdir, closedir");
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    put("d/f", "");
    watch("top", ".", IN_ALL_EVENTS);
    watch("d", "d", IN_ALL_EVENTS);
    DIR *dir = opendir("d");
    drain("opendir d");
    int n = 0;
    while (readdir(dir)) n++;
    printf("entries: %d\n", n);
    drain("readdir to the end");
    closedir(dir);
    drain("closedir");
    dir = opendir("d/sub");
    while (readdir(dir)) {}
    closedir(dir);
    drain("opendir, readdir, closedir d/sub");
    finish("d");
}

static void options(void) {
    start("mask options");
    mkdir("d", 0755);
    put("d/f", "data");
    put("d/g", "data");
    symlink("f", "d/ln");
    watch("f oneshot", "d/f", IN_MODIFY | IN_ONESHOT);
    int fd = open("d/f", O_WRONLY);
    write(fd, "x", 1);
    write(fd, "x", 1);
    drain("IN_MODIFY|IN_ONESHOT: two writes");
    write(fd, "x", 1);
    drain("a third write");
    int wf = watch("f", "d/f", IN_OPEN);
    close(open("d/f", O_RDONLY));
    write(fd, "x", 1);
    drain("IN_OPEN only: open and write");
    watch("f mask add", "d/f", IN_CLOSE_WRITE | IN_MASK_ADD);
    close(open("d/f", O_WRONLY));
    drain("IN_MASK_ADD IN_CLOSE_WRITE: open(O_WRONLY), close");
    watch("f replaced", "d/f", IN_ATTRIB);
    close(open("d/f", O_WRONLY));
    fchmod(fd, 0644);
    drain("replaced by IN_ATTRIB: open, close, fchmod");
    watch("f mask create", "d/f", IN_ATTRIB | IN_MASK_CREATE);
    watch("f add|create", "d/f", IN_ATTRIB | IN_MASK_ADD | IN_MASK_CREATE);
    watch("g mask create", "d/g", IN_CLOSE_WRITE | IN_MASK_CREATE);
    int gfd = open("d/g", O_RDWR);
    write(gfd, "x", 1);
    close(open("d/g", O_RDONLY));
    drain("IN_CLOSE_WRITE only: open(O_RDWR)+write, open(O_RDONLY)+close");
    close(gfd);
    drain("close the O_RDWR descriptor");
    watch("f onlydir", "d/f", IN_ATTRIB | IN_ONLYDIR);
    watch("d onlydir", "d", IN_ATTRIB | IN_ONLYDIR);
    watch("ln", "d/ln", IN_ATTRIB);
    watch("ln nofollow", "d/ln", IN_ALL_EVENTS | IN_DONT_FOLLOW);
    chmod("d/ln", 0600);
    drain("chmod d/ln (follows to f)");
    struct timespec ts[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    utimensat(AT_FDCWD, "d/ln", ts, AT_SYMLINK_NOFOLLOW);
    drain("utimensat(AT_SYMLINK_NOFOLLOW) of d/ln");
    char b[16];
    readlink("d/ln", b, sizeof b);
    drain("readlink d/ln");
    SHOW_ERR(inotify_rm_watch(ifd, base_wd));
    SHOW_ERR(inotify_rm_watch(ifd, wf));
    drain("inotify_rm_watch of the IN_ONESHOT watch (gone), of the f watch");
    SHOW_ERR(inotify_rm_watch(ifd, wf));
    watch("f new", "d/f", IN_ATTRIB);
    close(fd);
    finish("d");

    start("IN_EXCL_UNLINK");
    mkdir("d", 0755);
    mkdir("e", 0755);
    put("d/f", "");
    put("e/f", "");
    watch("d", "d", IN_ALL_EVENTS);
    watch("e excl", "e", IN_ALL_EVENTS | IN_EXCL_UNLINK);
    int fd1 = open("d/f", O_RDWR), fd2 = open("e/f", O_RDWR);
    drain("open d/f and e/f");
    unlink("d/f");
    unlink("e/f");
    drain("unlink both");
    write(fd1, "x", 1);
    write(fd2, "x", 1);
    close(fd1);
    close(fd2);
    drain("write and close both");
    finish("d");
    remove_tree(AT_FDCWD, "e");
}

int main(void) {
    scratch_enter();
    open_read_write();
    dir_and_file();
    create_delete();
    renames();
    attributes();
    directories();
    options();
    printf("\nevery len a multiple of 16: %s\n", lens_ok ? "true" : "false");
    scratch_leave();
    return 0;
}
