// memfd_create: an unnamed tmpfs file ("/memfd:NAME (deleted)" in /proc/self/fd), MFD_CLOEXEC,
// mapped MAP_SHARED across fork; seals with F_ADD_SEALS/F_GET_SEALS and what each forbids
// (EPERM), F_SEAL_WRITE while a shared writable mapping exists (EBUSY), and the errors.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define PAGE 4096

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static int memfd(const char *name, unsigned flags) {
    return (int) syscall(SYS_memfd_create, name, flags);
}

int main(void) {
    int fd = memfd("jux-test", MFD_CLOEXEC);
    CHECK(fd >= 0);
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    printf("fd link: %s\n", target);
    printf("close-on-exec: %s\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    struct stat st;
    SHOW_ERR(fstat(fd, &st));
    printf("regular: %s, mode %o, size %ld, links %ld\n", S_ISREG(st.st_mode) ? "yes" : "no",
           st.st_mode & 07777, (long) st.st_size, (long) st.st_nlink);
    printf("status flags O_RDWR: %s\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR ? "yes" : "no");

    /* Shared across fork through a mapping. */
    SHOW_ERR(ftruncate(fd, PAGE));
    char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(m, "written by the child");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    printf("parent reads: %s\n", m);
    char buf[32] = {0};
    SHOW_RET(pread(fd, buf, 20, 0));
    printf("read(2) sees it: %s\n", buf);

    /* Without MFD_ALLOW_SEALING the file is sealed with F_SEAL_SEAL. */
    SHOW_RET(fcntl(fd, F_GET_SEALS));
    SHOW_ERR(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));

    int s = memfd("sealed", MFD_ALLOW_SEALING);
    CHECK(s >= 0);
    SHOW_RET(fcntl(s, F_GET_SEALS));
    SHOW_RET(write(s, "0123456789", 10));
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));
    SHOW_ERR(ftruncate(s, 5));
    SHOW_ERR(ftruncate(s, 20));
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_GROW));
    SHOW_ERR(ftruncate(s, 30));
    SHOW_ERR(ftruncate(s, 20));
    SHOW_RET(pwrite(s, "ab", 2, 19));                   /* past the end: EPERM */
    SHOW_RET(pwrite(s, "ab", 2, 0));                    /* inside: fine */
    SHOW_ERR(fallocate(s, 0, 0, 4096));

    /* F_SEAL_WRITE while a shared writable mapping exists: EBUSY; after munmap it works. */
    char *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    CHECK(w != MAP_FAILED);
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));
    SHOW_ERR(munmap(w, PAGE));
    char *priv = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, s, 0);
    CHECK(priv != MAP_FAILED);
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_WRITE));      /* a private mapping does not count */
    SHOW_RET(fcntl(s, F_GET_SEALS));
    SHOW_RET(write(s, "x", 1));
    SHOW_RET(pwrite(s, "x", 1, 0));
    priv[0] = 'P';                                       /* private copy-on-write is still fine */
    printf("private copy: %c\n", priv[0]);
    void *bad = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, s, 0);
    printf("shared writable mapping of a write-sealed file: %s\n", bad == MAP_FAILED ? errname(errno) : "mapped");
    char *ro = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, s, 0);
    CHECK(ro != MAP_FAILED);
    SHOW_ERR(mprotect(ro, PAGE, PROT_READ | PROT_WRITE));
    printf("read-only shared mapping reads: %.2s\n", ro);

    /* F_SEAL_SEAL ends sealing. */
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_SEAL));
    SHOW_ERR(fcntl(s, F_ADD_SEALS, F_SEAL_SHRINK));
    SHOW_RET(fcntl(s, F_GET_SEALS));

    /* F_SEAL_FUTURE_WRITE: existing writable mappings go on, new ones and write(2) may not. */
    int fw = memfd("future", MFD_ALLOW_SEALING);
    SHOW_ERR(ftruncate(fw, PAGE));
    char *before = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
    CHECK(before != MAP_FAILED);
    SHOW_ERR(fcntl(fw, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
    before[0] = 'k';
    printf("an existing mapping still writes: %c\n", before[0]);
    SHOW_RET(write(fw, "x", 1));
    bad = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fw, 0);
    printf("new shared writable mapping: %s\n", bad == MAP_FAILED ? errname(errno) : "mapped");

    /* Errors. */
    SHOW_ERR(fcntl(0, F_GET_SEALS) < 0 ? -1 : 0);       /* not a memfd: EINVAL (stdin may be a pipe or a tty) */
    int plain = open("/dev/null", O_RDWR);
    SHOW_RET(fcntl(plain, F_GET_SEALS));
    SHOW_ERR(fcntl(plain, F_ADD_SEALS, F_SEAL_SEAL));
    int other = memfd("bits", MFD_ALLOW_SEALING);
    SHOW_ERR(fcntl(other, F_ADD_SEALS, 0x400));
    SHOW_ERR(memfd("x", 0x1000));
    SHOW_ERR(memfd("x", 0x10 /* MFD_EXEC */ | 0x8 /* MFD_NOEXEC_SEAL */));
    SHOW_ERR(memfd((const char *) 8, 0));
    char longname[300];
    memset(longname, 'n', sizeof longname);
    longname[250] = 0;
    SHOW_ERR(memfd(longname, 0));
    longname[249] = 0;
    int ok = memfd(longname, 0);
    printf("249-byte name: %s\n", ok >= 0 ? "ok" : errname(errno));
    return 0;
}
