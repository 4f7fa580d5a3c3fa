// Extended attributes on a tmpfs (/dev/shm, a tmpfs natively and under Jux): set/get/list/
// remove and their l* and f* forms, XATTR_CREATE/XATTR_REPLACE, size probing, the size and
// name limits, namespaces (trusted.* for root only, user.* only on files and directories,
// security.* changed by root only), permission checks as another user, EFAULT, and
// EOPNOTSUPP on procfs and pipes.
#include "jux_test.h"
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>

/* A bad pointer the compiler cannot see through. */
static char *volatile bad = (char *) 1;
static char dir[64], file[96], link_[96], fifo[96];

/* Prints a list of names sorted, so the order a file system keeps does not matter. */
static void show_list(const char *what, const char *buf, long n) {
    const char *names[64];
    int count = 0;
    for (long i = 0; i < n && count < 64; i += strlen(buf + i) + 1) names[count++] = buf + i;
    for (int i = 0; i < count; i++)
        for (int j = i + 1; j < count; j++)
            if (strcmp(names[j], names[i]) < 0) { const char *x = names[i]; names[i] = names[j]; names[j] = x; }
    printf("%s:", what);
    for (int i = 0; i < count; i++) printf(" %s", names[i]);
    printf("\n");
}

static void show_value(const char *path, const char *name) {
    char buf[256];
    long n = getxattr(path, name, buf, sizeof buf);
    if (n < 0) printf("getxattr %s = -1 %s\n", name, errname(errno));
    else printf("getxattr %s = %ld \"%.*s\"\n", name, n, (int) n, buf);
}

static void as_other_user(void) {
    char buf[256];
    SHOW_ERR(setresgid(1000, 1000, 1000));
    SHOW_ERR(setresuid(1000, 1000, 1000));
    /* trusted.* needs CAP_SYS_ADMIN: hidden from reads and lists, EPERM to change. */
    SHOW_RET(getxattr(file, "trusted.t", buf, sizeof buf));
    SHOW_ERR(setxattr(file, "trusted.t", "x", 1, 0));
    SHOW_ERR(removexattr(file, "trusted.t"));
    long n = listxattr(file, buf, sizeof buf);
    show_list("list as uid 1000", buf, n);
    /* security.* is readable, but only CAP_SYS_ADMIN changes it. */
    SHOW_RET(getxattr(file, "security.s", buf, sizeof buf));
    SHOW_ERR(setxattr(file, "security.s", "x", 1, 0));
    SHOW_ERR(removexattr(file, "security.s"));
    /* user.* follows the file's mode: 0644 root's file is readable, not writable. */
    SHOW_RET(getxattr(file, "user.b", buf, sizeof buf));
    SHOW_ERR(setxattr(file, "user.b", "x", 1, 0));
    SHOW_ERR(removexattr(file, "user.b"));
    SHOW_ERR(chmod(file, 0600));
    /* In the sticky /dev/shm only its owner may change user.* of the directory. */
    SHOW_ERR(setxattr("/dev/shm", "user.sticky", "x", 1, 0));
    SHOW_RET(getxattr("/dev/shm", "user.sticky", buf, sizeof buf));
    fflush(stdout);
    _exit(0);
}

int main(void) {
    char buf[256];
    snprintf(dir, sizeof dir, "/dev/shm/jux-xattr-%d", (int) getpid());
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(link_, sizeof link_, "%s/link", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CHECK(mkdir(dir, 0755) == 0);
    int fd = open(file, O_CREAT | O_RDWR, 0644);
    CHECK(fd >= 0);
    CHECK(symlink("file", link_) == 0);
    CHECK(mkfifo(fifo, 0644) == 0);

    /* The happy path: create, probe, read, replace. */
    SHOW_RET(listxattr(file, NULL, 0));
    SHOW_ERR(setxattr(file, "user.a", "apple", 5, 0));
    SHOW_RET(getxattr(file, "user.a", NULL, 0));
    show_value(file, "user.a");
    SHOW_ERR(setxattr(file, "user.a", "apricot", 7, XATTR_CREATE));
    SHOW_ERR(setxattr(file, "user.a", "avocado", 7, XATTR_REPLACE));
    show_value(file, "user.a");
    SHOW_ERR(setxattr(file, "user.b", "x", 1, XATTR_REPLACE));
    SHOW_ERR(setxattr(file, "user.b", "banana", 6, XATTR_CREATE));
    SHOW_ERR(setxattr(file, "user.empty", "", 0, 0));
    show_value(file, "user.empty");
    SHOW_ERR(setxattr(file, "trusted.t", "trust", 5, 0));
    SHOW_ERR(setxattr(file, "security.s", "sec", 3, 0));
    SHOW_ERR(setxattr(file, "user.c", "x", 1, XATTR_CREATE | XATTR_REPLACE));
    SHOW_ERR(setxattr(file, "user.c", "x", 1, 4));
    long n = listxattr(file, NULL, 0);
    printf("list size probe = %ld\n", n);
    SHOW_RET(listxattr(file, buf, n - 1));
    n = listxattr(file, buf, sizeof buf);
    show_list("list", buf, n);

    /* Buffers too small, limits on names and values. */
    SHOW_RET(getxattr(file, "user.a", buf, 3));
    SHOW_RET(getxattr(file, "user.missing", buf, sizeof buf));
    SHOW_RET(getxattr(file, "", buf, sizeof buf));
    char name[300];
    memcpy(name, "user.", 5);
    memset(name + 5, 'n', 250);
    name[255] = 0;
    SHOW_ERR(setxattr(file, name, "x", 1, 0));
    SHOW_RET(getxattr(file, name, buf, sizeof buf));
    SHOW_ERR(removexattr(file, name));
    memset(name + 5, 'n', 251);
    name[256] = 0;
    SHOW_ERR(setxattr(file, name, "x", 1, 0));
    SHOW_RET(getxattr(file, name, buf, sizeof buf));
    static char big[65537];
    memset(big, 'v', sizeof big);
    SHOW_ERR(setxattr(file, "user.big", big, 65536, 0));
    SHOW_RET(getxattr(file, "user.big", NULL, 0));
    SHOW_RET(getxattr(file, "user.big", big, 100));
    SHOW_RET(getxattr(file, "user.big", big, sizeof big));
    SHOW_ERR(removexattr(file, "user.big"));
    SHOW_ERR(setxattr(file, "user.big", big, 65537, 0));

    /* Namespaces: a bare prefix, an unknown one, POSIX ACLs that are not there. */
    SHOW_ERR(setxattr(file, "user.", "x", 1, 0));
    SHOW_ERR(setxattr(file, "nonsense.x", "x", 1, 0));
    SHOW_ERR(setxattr(file, "nonsense", "x", 1, 0));
    SHOW_RET(getxattr(file, "nonsense.x", buf, sizeof buf));
    SHOW_RET(getxattr(file, "system.posix_acl_access", buf, sizeof buf));

    /* Symlinks, FIFOs and directories. */
    SHOW_RET(lgetxattr(link_, "user.a", buf, sizeof buf));
    show_value(link_, "user.a");
    SHOW_ERR(lsetxattr(link_, "user.l", "x", 1, 0));
    SHOW_ERR(lsetxattr(link_, "trusted.l", "link", 4, 0));
    SHOW_RET(lgetxattr(link_, "trusted.l", buf, sizeof buf));
    n = llistxattr(link_, buf, sizeof buf);
    show_list("llist link", buf, n);
    SHOW_ERR(lremovexattr(link_, "trusted.l"));
    SHOW_ERR(setxattr(fifo, "user.f", "x", 1, 0));
    SHOW_RET(getxattr(fifo, "user.f", buf, sizeof buf));
    SHOW_ERR(setxattr(fifo, "trusted.f", "x", 1, 0));
    SHOW_ERR(setxattr(dir, "user.d", "dir", 3, 0));
    show_value(dir, "user.d");

    /* The f* forms. */
    SHOW_RET(fgetxattr(fd, "user.b", buf, sizeof buf));
    SHOW_ERR(fsetxattr(fd, "user.f", "fd", 2, 0));
    SHOW_ERR(fremovexattr(fd, "user.f"));
    SHOW_ERR(fremovexattr(fd, "user.f"));
    n = flistxattr(fd, buf, sizeof buf);
    show_list("flist", buf, n);
    SHOW_RET(fgetxattr(999, "user.b", buf, sizeof buf));
    SHOW_ERR(fsetxattr(999, "user.b", "x", 1, 0));
    SHOW_RET(flistxattr(999, buf, sizeof buf));
    int p[2];
    CHECK(pipe(p) == 0);
    SHOW_RET(fgetxattr(p[0], "user.b", buf, sizeof buf));
    SHOW_ERR(fsetxattr(p[0], "user.b", "x", 1, 0));
    SHOW_ERR(fremovexattr(p[0], "user.b"));
    SHOW_ERR(fsetxattr(p[1], "trusted.b", "x", 1, 0));
    SHOW_RET(fgetxattr(p[1], "trusted.b", buf, sizeof buf));
    SHOW_RET(flistxattr(p[1], buf, sizeof buf));
    int opath = open(file, O_PATH);
    SHOW_RET(fgetxattr(opath, "user.b", buf, sizeof buf));
    SHOW_RET(flistxattr(opath, buf, sizeof buf));
    close(opath);

    /* Bad pointers. */
    SHOW_ERR(setxattr(file, bad, "x", 1, 0));
    SHOW_ERR(setxattr(file, "user.a", bad, 1, 0));
    SHOW_ERR(setxattr(bad, "user.a", "x", 1, 0));
    SHOW_RET(getxattr(file, "user.a", bad, 100));
    SHOW_RET(listxattr(file, bad, 100));
    SHOW_ERR(removexattr(file, bad));
    SHOW_RET(getxattr("/dev/shm/jux-no-such-file", "user.a", buf, sizeof buf));

    /* File systems without extended attributes: procfs. */
    SHOW_RET(getxattr("/proc/self/status", "user.a", buf, sizeof buf));
    SHOW_RET(lgetxattr("/proc/1", "security.selinux", buf, sizeof buf));
    SHOW_ERR(setxattr("/proc/self/status", "user.a", "x", 1, 0));
    SHOW_ERR(removexattr("/proc/self/status", "user.a"));
    SHOW_RET(listxattr("/proc/self/status", buf, sizeof buf));

    /* Removal. */
    SHOW_ERR(removexattr(file, "user.a"));
    SHOW_ERR(removexattr(file, "user.a"));
    SHOW_RET(getxattr(file, "user.a", buf, sizeof buf));

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) as_other_user();
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    n = listxattr(file, buf, sizeof buf);
    show_list("list at the end", buf, n);

    close(fd);
    unlink(file);
    unlink(link_);
    unlink(fifo);
    rmdir(dir);
    return 0;
}
