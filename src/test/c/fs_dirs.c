// mkdir, rmdir, unlink, rename, link and getdents64 with their documented errors.
#include "fs_scratch.h"
#include <stdint.h>
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

/* musl has no renameat2 wrapper. */
#define renameat2(a, b, c, d, f) syscall(SYS_renameat2, a, b, c, d, f)

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int cmp(const void *a, const void *b) {
    return strcmp(*(char **)a, *(char **)b);
}

/* Lists a directory with getdents64 in small chunks; prints names sorted (order is per-fs). */
static void list(const char *path, int chunk) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    char buf[4096];
    char *names[256];
    int n = 0, calls = 0;
    long r;
    while ((r = syscall(SYS_getdents64, fd, buf, chunk)) > 0) {
        calls++;
        for (long off = 0; off < r;) {
            struct linux_dirent64 *e = (void *)(buf + off);
            char *s = malloc(300);
            snprintf(s, 300, "%s:%d", e->d_name, e->d_type);
            names[n++] = s;
            off += e->d_reclen;
        }
    }
    if (r < 0) printf("getdents64: %s\n", errname(errno));
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", path);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    close(fd);
}

static long nlink(const char *p) {
    struct stat st;
    return lstat(p, &st) == 0 ? (long)st.st_nlink : -1;
}

int main(void) {
    scratch_enter();
    SHOW_ERR(mkdir("a", 0755));
    SHOW_ERR(mkdir("a", 0755));
    SHOW_ERR(mkdir("a/b/", 0755));
    SHOW_ERR(mkdir("x/y", 0755));
    SHOW_ERR(mkdir(".", 0755));
    SHOW_ERR(mkdir("..", 0755));
    SHOW_ERR(mkdir("/", 0755));
    close(open("a/f", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(mkdir("a/f/g", 0755));
    SHOW_ERR(mkdir("a/f", 0755));
    printf("nlink a=%ld a/b=%ld\n", nlink("a"), nlink("a/b"));
    symlink("f", "a/lf");
    mkfifo("a/fifo", 0644);
    list("a", 4096);
    list("a", 40);
    list("a/b", 4096);
    int fd = open("a", O_RDONLY | O_DIRECTORY);
    char small[8];
    SHOW_ERR(syscall(SYS_getdents64, fd, small, sizeof small));
    SHOW_ERR(syscall(SYS_getdents64, fd, (char *)1, 4096));
    SHOW_ERR(syscall(SYS_getdents64, 999, small, sizeof small));
    int ffd = open("a/f", O_RDONLY);
    SHOW_ERR(syscall(SYS_getdents64, ffd, small, sizeof small));
    /* Rewinding a directory stream starts over. */
    char buf[4096];
    long first = syscall(SYS_getdents64, fd, buf, sizeof buf);
    lseek(fd, 0, SEEK_SET);
    CHECK(syscall(SYS_getdents64, fd, buf, sizeof buf) == first);
    CHECK(syscall(SYS_getdents64, fd, buf, sizeof buf) == 0);
    close(fd);

    /* rmdir and unlink */
    SHOW_ERR(rmdir("a"));
    SHOW_ERR(rmdir("a/f"));
    SHOW_ERR(rmdir("a/missing"));
    SHOW_ERR(rmdir("a/b/."));
    SHOW_ERR(rmdir("a/b/.."));
    SHOW_ERR(rmdir("/"));
    SHOW_ERR(rmdir("a/lf"));
    SHOW_ERR(unlink("a/b"));
    SHOW_ERR(unlink("a/f/"));
    SHOW_ERR(unlink("a/b/"));
    SHOW_ERR(unlink("a/missing/"));
    SHOW_ERR(unlink("."));
    SHOW_ERR(unlinkat(AT_FDCWD, "a/b", 0x1));
    SHOW_ERR(unlinkat(AT_FDCWD, "a/f", AT_REMOVEDIR));
    SHOW_ERR(unlink("a/lf"));
    SHOW_ERR(unlink("a/fifo"));
    SHOW_ERR(rmdir("a/b/"));
    printf("nlink a=%ld\n", nlink("a"));

    /* An open file outlives its name. */
    fd = open("a/f", O_RDWR);
    write(fd, "still here", 10);
    SHOW_ERR(unlink("a/f"));
    struct stat st;
    fstat(fd, &st);
    printf("after unlink: nlink %ld size %ld\n", (long)st.st_nlink, (long)st.st_size);
    memset(buf, 0, 16);
    pread(fd, buf, 10, 0);
    printf("'%s'\n", buf);
    close(fd);

    /* link */
    close(open("f", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(link("f", "g"));
    printf("nlink f=%ld\n", nlink("f"));
    SHOW_ERR(link("f", "g"));
    SHOW_ERR(link("a", "h"));
    SHOW_ERR(link("missing", "h"));
    SHOW_ERR(link("f", "missing/h"));
    SHOW_ERR(link("f", "h/"));
    symlink("f", "sl");
    SHOW_ERR(link("sl", "sl2"));
    lstat("sl2", &st);
    printf("link to symlink is a symlink: %s\n", S_ISLNK(st.st_mode) ? "true" : "false");
    SHOW_ERR(linkat(AT_FDCWD, "sl", AT_FDCWD, "sl3", AT_SYMLINK_FOLLOW));
    printf("nlink f=%ld\n", nlink("f"));
    SHOW_ERR(linkat(AT_FDCWD, "f", AT_FDCWD, "x", 0x1));

    /* rename */
    mkdir("r", 0755);
    mkdir("r/d1", 0755);
    mkdir("r/d2", 0755);
    mkdir("r/full", 0755);
    close(open("r/full/x", O_CREAT | O_WRONLY, 0644));
    close(open("r/f1", O_CREAT | O_WRONLY, 0644));
    close(open("r/f2", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(rename("r/f1", "r/f3"));
    SHOW_ERR(rename("r/f1", "r/f4"));
    SHOW_ERR(rename("r/f3", "r/f2"));
    SHOW_ERR(rename("r/f2", "r/d1"));
    SHOW_ERR(rename("r/d1", "r/f2"));
    SHOW_ERR(rename("r/d1", "r/full"));
    SHOW_ERR(rename("r/d1", "r/d1/sub"));
    SHOW_ERR(rename("r/d1", "r/d1"));
    SHOW_ERR(rename("r/full/x", "r/full"));
    SHOW_ERR(rename("r/d2", "r/full/.."));
    SHOW_ERR(rename("r/d2/..", "r/d3"));
    SHOW_ERR(rename("r/f2/", "r/f5"));
    SHOW_ERR(rename("r/f2", "r/f5/"));
    SHOW_ERR(rename("r/d2/", "r/d3/"));
    SHOW_ERR(rename("r/d3", "r/d1"));
    printf("nlink r=%ld r/full=%ld\n", nlink("r"), nlink("r/full"));
    SHOW_ERR(rename("r/d1", "r/full/d1"));
    printf("nlink r=%ld r/full=%ld\n", nlink("r"), nlink("r/full"));
    SHOW_ERR(rename("r/full", "r/full/d1/deeper"));
    SHOW_ERR(rename("r/full/d1", "r"));
    close(open("r/f6", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(renameat2(AT_FDCWD, "r/f2", AT_FDCWD, "r/f6", RENAME_NOREPLACE));
    SHOW_ERR(renameat2(AT_FDCWD, "r/f2", AT_FDCWD, "r/f7", RENAME_EXCHANGE));
    SHOW_ERR(renameat2(AT_FDCWD, "r/f2", AT_FDCWD, "r/f6", RENAME_EXCHANGE | RENAME_NOREPLACE));
    fd = open("r/f2", O_WRONLY);
    write(fd, "22", 2);
    close(fd);
    SHOW_ERR(renameat2(AT_FDCWD, "r/f2", AT_FDCWD, "r/full", RENAME_EXCHANGE));
    lstat("r/full", &st);
    printf("exchanged: r/full is a %s of size %ld\n", S_ISDIR(st.st_mode) ? "dir" : "file", (long)st.st_size);
    SHOW_ERR(stat("r/f2/x", &st));
    SHOW_ERR(renameat2(AT_FDCWD, "r/f2", AT_FDCWD, "r/f8", 0x100));
    /* Hard links to one inode: rename does nothing. */
    link("r/f6", "r/f6b");
    SHOW_ERR(rename("r/f6", "r/f6b"));
    printf("nlink f6=%ld\n", nlink("r/f6"));
    list("r", 4096);

    /* Renaming the working directory's ancestor keeps getcwd right. */
    mkdir("m", 0755);
    mkdir("m/n", 0755);
    SHOW_ERR(chdir("m/n"));
    SHOW_ERR(rename("../../m", "../../m2"));
    char cwd[4096];
    getcwd(cwd, sizeof cwd);
    printf("cwd ends with /m2/n: %s\n", !strcmp(cwd + strlen(cwd) - 5, "/m2/n") ? "true" : "false");
    SHOW_ERR(rmdir("../n"));
    SHOW_ERR(getcwd(cwd, sizeof cwd) == NULL ? -1 : 0);
    SHOW_ERR(open(".", O_RDONLY | O_DIRECTORY) < 0 ? -1 : 0);
    SHOW_ERR(open("x", O_RDONLY | O_CREAT, 0600));
    SHOW_ERR(chdir(scratch_dir));

    scratch_leave();
    return 0;
}
