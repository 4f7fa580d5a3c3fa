/*
 * Helpers shared by the differential test programs. Everything a test prints must be the same
 * on every correct run: results, booleans and errno names, never addresses, times or random
 * values. Directives for the harness go in // comments at the top of each .c file (see
 * src/test/java/dev/jux/testing/Directives.java).
 */
#ifndef JUX_TEST_H
#define JUX_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

/* The errno's symbolic name; strerror's text differs between glibc and musl. */
static inline const char *errname(int e) {
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EXDEV: return "EXDEV";
    case ENODEV: return "ENODEV";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case ETXTBSY: return "ETXTBSY";
    case EFBIG: return "EFBIG";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case EROFS: return "EROFS";
    case EPIPE: return "EPIPE";
    case ERANGE: return "ERANGE";
    case ENODATA: return "ENODATA";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EOVERFLOW: return "EOVERFLOW";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ELIBBAD: return "ELIBBAD";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EOWNERDEAD: return "EOWNERDEAD";
    case EDEADLK: return "EDEADLK";
    case EDOM: return "EDOM";
    case ENOTSOCK: return "ENOTSOCK";
    case EMSGSIZE: return "EMSGSIZE";
    case EPROTOTYPE: return "EPROTOTYPE";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EADDRINUSE: return "EADDRINUSE";
    case ECONNRESET: return "ECONNRESET";
    case ENOBUFS: return "ENOBUFS";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case ENETUNREACH: return "ENETUNREACH";
    case ECONNABORTED: return "ECONNABORTED";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EIDRM: return "EIDRM";
    case ENOMSG: return "ENOMSG";
    default: return "E?";
    }
}

/* Prints "EXPR: true" or "EXPR: false". */
#define CHECK(expr) printf("%s: %s\n", #expr, (expr) ? "true" : "false")

/*
 * Prints the outcome of a call that returns -1 and sets errno on failure, e.g.
 * SHOW_ERR(syscall(SYS_write, 42, "x", 1)) prints "syscall(SYS_write, 42, "x", 1) = -1 EBADF".
 * A success prints "= ok" unless the result is wanted: use SHOW_RET for that.
 */
#define SHOW_ERR(call) SHOW_RESULT(#call, call, 0)
#define SHOW_RET(call) SHOW_RESULT(#call, call, 1)
#define SHOW_RESULT(text, call, print_value) do { \
        errno = 0; \
        long ret_ = (long)(call); \
        int err_ = errno; \
        show_result(text, ret_, err_, print_value); \
    } while (0)

static inline void show_result(const char *what, long ret, int err, int print_value) {
    if (ret == -1)
        printf("%s = -1 %s\n", what, errname(err));
    else if (print_value)
        printf("%s = %ld\n", what, ret);
    else
        printf("%s = ok\n", what);
}

/* A process's state letter from /proc/PID/stat (R, S, T, Z...): '-' if it is gone, '?' if unreadable. */
static inline char proc_state(pid_t pid) {
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0) return '-';
    int n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return '?';
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Field n (1-based, as proc(5) numbers them) of a /proc/PID/stat line, counted after the comm. */
static inline long long stat_field(const char *line, int n) {
    const char *p = strrchr(line, ')');
    if (!p || n < 3) return -1;
    p += 2;
    for (int k = 3; k < n; k++) {
        p = strchr(p, ' ');
        if (!p) return -1;
        p++;
    }
    return n == 3 ? *p : strtoll(p, NULL, 10);
}

/* The time ms milliseconds from now on clock (an absolute timeout for futex and timed waits). */
static inline struct timespec after_ms(clockid_t clock, long ms) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    ts.tv_nsec += ms * 1000000L;
    ts.tv_sec += ts.tv_nsec / 1000000000L;
    ts.tv_nsec %= 1000000000L;
    return ts;
}

/*
 * Whether capability cap (CAP_SYS_ADMIN is 21, CAP_SYS_RESOURCE 24) is in the effective set;
 * where capget is missing (ENOSYS), whether the effective uid is root. The host's root may
 * lack some capabilities that Jux's root has, so tests print results "as the capability says".
 */
static inline int has_capability(int cap) {
    struct { unsigned version; int pid; } h = {0x20080522, 0};     /* _LINUX_CAPABILITY_VERSION_3 */
    struct { unsigned effective, permitted, inheritable; } d[2];
    if (syscall(SYS_capget, &h, d) != 0) return errno == ENOSYS && geteuid() == 0;
    return (d[cap / 32].effective >> (cap % 32)) & 1;
}

#endif
