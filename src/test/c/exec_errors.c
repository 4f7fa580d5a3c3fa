// execve and execveat failures, in Linux's order, each leaving the process as it was: bad
// paths (ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP with AT_SYMLINK_NOFOLLOW), files that cannot run
// (EACCES without x, for a directory, a device, a pipe; ENOEXEC for garbage and empty files;
// ETXTBSY while open for writing), bad pointers (EFAULT), too much (E2BIG), bad flags and fds.
#include "jux_test.h"
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

static char dir[64];
static char path[128];
static char *args[] = {"prog", "reexec", NULL};
static char *env[] = {"A=1", NULL};
/* Unmapped addresses, behind volatile so that the compiler does not see them. */
static char *volatile bad_ptr = (char *)8;
static char **volatile bad_vec = (char **)8;

static const char *in_dir(const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void make(const char *name, const char *content, mode_t mode) {
    int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content)) printf("cannot make %s\n", name);
    close(fd);
    chmod(in_dir(name), mode);
}

static long sys_execveat(int dirfd, const char *p, char **a, char **e, int flags) {
    return syscall(SYS_execveat, dirfd, p, a, e, flags);
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "reexec") == 0) {
        printf("unexpected: an exec succeeded\n");
        return 1;
    }
    snprintf(dir, sizeof dir, "/tmp/jux-exec-errors-%d", getpid());
    mkdir(dir, 0755);
    make("noexec", "#!/bin/sh\n", 0644);
    make("garbage", "hello, world\n", 0755);
    make("empty", "", 0755);
    make("script-missing", "#!/no/such/interpreter\n", 0755);
    snprintf(path, sizeof path, "#!%s/noexec\n", dir);
    char line[160];
    strcpy(line, path);
    make("script-noexec", line, 0755);
    make("script-blank", "#!   \n", 0755);
    make("script-bare", "#!", 0755);
    char exe[PATH_MAX + 1];
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX);
    exe[n > 0 ? n : 0] = '\0';
    symlink(exe, in_dir("link"));

    SHOW_ERR(execve("/no/such/file", args, env));
    SHOW_ERR(execve("", args, env));
    SHOW_ERR(execve("/etc/passwd/x", args, env));
    SHOW_ERR(execve(in_dir("noexec"), args, env));
    SHOW_ERR(execve(dir, args, env));
    SHOW_ERR(execve("/dev/null", args, env));
    SHOW_ERR(execve(in_dir("garbage"), args, env));
    SHOW_ERR(execve(in_dir("empty"), args, env));
    SHOW_ERR(execve(in_dir("script-missing"), args, env));
    SHOW_ERR(execve(in_dir("script-noexec"), args, env));
    SHOW_ERR(execve(in_dir("script-blank"), args, env));
    SHOW_ERR(execve(in_dir("script-bare"), args, env));
    SHOW_ERR(execve(in_dir("no-such-name"), args, env));

    char *longpath = malloc(5000);
    memset(longpath, 'a', 4999);
    longpath[0] = '/';
    longpath[4999] = '\0';
    SHOW_ERR(execve(longpath, args, env));

    /* EFAULT: the path, the argv and envp arrays, a string they point to. The file is opened
     * first, so a missing file still says ENOENT. */
    char *bad_string[] = {"prog", bad_ptr, NULL};
    SHOW_ERR(execve(bad_ptr, args, env));
    SHOW_ERR(execve(exe, bad_vec, env));
    SHOW_ERR(execve(exe, args, bad_vec));
    SHOW_ERR(execve(exe, bad_string, env));
    SHOW_ERR(execve(exe, args, bad_string));
    SHOW_ERR(execve("/no/such/file", bad_vec, env));

    /* E2BIG: one string longer than MAX_ARG_STRLEN (32 pages), and more than the 6 MiB that
     * any RLIMIT_STACK allows in all. */
    char *huge = malloc(200000);
    memset(huge, 'x', 199999);
    huge[199999] = '\0';
    char *big_one[] = {"prog", "reexec", huge, NULL};
    SHOW_ERR(execve(exe, big_one, env));
    char *chunk = malloc(120000);
    memset(chunk, 'y', 119999);
    chunk[119999] = '\0';
    char *many[64];
    many[0] = "prog";
    many[1] = "reexec";
    for (int i = 2; i < 63; i++) many[i] = chunk;
    many[63] = NULL;
    SHOW_ERR(execve(exe, many, env));
    SHOW_ERR(execve(exe, args, many));

    /* execveat: flags, dirfds, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW. */
    int file = open(in_dir("garbage"), O_RDONLY);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int pipefd[2];
    pipe(pipefd);
    SHOW_ERR(sys_execveat(AT_FDCWD, exe, args, env, 0x8000));
    SHOW_ERR(sys_execveat(99, "garbage", args, env, 0));
    SHOW_ERR(sys_execveat(99, "", args, env, AT_EMPTY_PATH));
    SHOW_ERR(sys_execveat(dfd, "", args, env, 0));
    SHOW_ERR(sys_execveat(file, "x", args, env, 0));
    SHOW_ERR(sys_execveat(file, "", args, env, AT_EMPTY_PATH));
    SHOW_ERR(sys_execveat(dfd, "", args, env, AT_EMPTY_PATH));
    SHOW_ERR(sys_execveat(pipefd[0], "", args, env, AT_EMPTY_PATH));
    SHOW_ERR(sys_execveat(dfd, "garbage", args, env, 0));
    SHOW_ERR(sys_execveat(dfd, "noexec", args, env, 0));
    SHOW_ERR(sys_execveat(dfd, "link", args, env, AT_SYMLINK_NOFOLLOW));
    SHOW_ERR(sys_execveat(AT_FDCWD, in_dir("link"), args, env, AT_SYMLINK_NOFOLLOW));

    /* ETXTBSY: the file is open for writing somewhere. */
    make("busy", "#!/bin/sh\n", 0755);
    int writer = open(in_dir("busy"), O_WRONLY);
    SHOW_ERR(execve(in_dir("busy"), args, env));
    close(writer);
    int reader = open(in_dir("busy"), O_RDONLY);
    SHOW_ERR(execve(in_dir("empty"), args, env));     /* still ENOEXEC; busy is only read */
    close(reader);

    printf("still the first image: %s\n", argc == 1 ? "yes" : "no");
    const char *names[] = {"noexec", "garbage", "empty", "script-missing", "script-noexec", "script-blank",
                           "script-bare", "link", "busy"};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) unlink(in_dir(names[i]));
    SHOW_ERR(rmdir(dir));
    return 0;
}
