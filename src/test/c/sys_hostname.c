// sethostname and setdomainname: uname and /proc/sys/kernel/{hostname,domainname} agree, a write
// to the proc file renames too, and the errors: EINVAL over 64 bytes or a negative length,
// EFAULT, EPERM (checked first) without CAP_SYS_ADMIN. Natively the test runs in its own UTS
// namespace so that the host keeps its name; Jux has no unshare, and its names are the guest's own.
#define _GNU_SOURCE
#include "jux_test.h"
#include <sched.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <sys/wait.h>

static char buf[256];

static const char *proc_text(const char *path) {
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static void show_names(const char *when) {
    struct utsname u;
    uname(&u);
    char host[80];
    snprintf(host, sizeof host, "%s\n", u.nodename);
    printf("%s: uname nodename [%s], proc agrees: %s", when, u.nodename,
           strcmp(proc_text("/proc/sys/kernel/hostname"), host) == 0 ? "yes" : "no");
    snprintf(host, sizeof host, "%s\n", u.domainname);
    printf(", domainname [%s], proc agrees: %s\n", u.domainname,
           strcmp(proc_text("/proc/sys/kernel/domainname"), host) == 0 ? "yes" : "no");
}

int main(void) {
    if (unshare(CLONE_NEWUTS) != 0 && errno != ENOSYS) {
        printf("cannot isolate the host name natively: %s\n", errname(errno));
        return 0;
    }
    SHOW_ERR(sethostname("juxbox", 6));
    SHOW_ERR(setdomainname("example.org", 11));
    show_names("after sethostname");

    int fd = open("/proc/sys/kernel/hostname", O_WRONLY | O_TRUNC);
    SHOW_RET(write(fd, "from-proc\nignored", 17));
    close(fd);
    show_names("after a write to /proc");

    char long_name[80];
    memset(long_name, 'x', sizeof long_name);
    SHOW_ERR(sethostname(long_name, 65));
    SHOW_ERR(syscall(SYS_sethostname, long_name, -1));
    SHOW_ERR(setdomainname(long_name, 65));
    SHOW_ERR(syscall(SYS_sethostname, (void *)8, 5));
    SHOW_ERR(syscall(SYS_setdomainname, (void *)8, 5));
    SHOW_ERR(sethostname(long_name, 64));
    struct utsname u;
    uname(&u);
    printf("64-byte name kept whole: %s\n", strlen(u.nodename) == 64 ? "yes" : "no");
    SHOW_ERR(sethostname("short", 5));
    show_names("a shorter name after a long one");

    /* A child sees the same names. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        show_names("in a child");
        fflush(stdout);
        _exit(0);
    }
    waitpid(child, NULL, 0);

    /* Without privileges: EPERM before any other check; the proc file is not writable. */
    child = fork();
    if (child == 0) {
        if (setuid(65534) != 0) _exit(1);
        SHOW_ERR(sethostname("nope", 4));
        SHOW_ERR(syscall(SYS_sethostname, long_name, 100));
        SHOW_ERR(setdomainname("nope", 4));
        SHOW_ERR(open("/proc/sys/kernel/hostname", O_WRONLY));
        show_names("unprivileged");
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("unprivileged child exit: %d\n", WEXITSTATUS(status));

    SHOW_ERR(sethostname("", 0));
    show_names("empty name");
    return 0;
}
