// Lists big host directories through the default root with small getdents64 buffers, so a
// listing takes many calls and resumes from d_off each time: the same entries come back as
// natively, each once (a regression test: ext4's last d_off, 2^63-1, once made the overlay
// list / forever). Prints the count and an order-independent checksum of the names.
#include "jux_test.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/syscall.h>

struct linux_dirent64 { uint64_t d_ino; int64_t d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

static void list(const char *path, int bufsize) {
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) { printf("%s: %s\n", path, errname(errno)); return; }
    char buf[8192];
    long count = 0, calls = 0;
    uint64_t sum = 0;
    for (;;) {
        long n = syscall(SYS_getdents64, fd, buf, bufsize);
        if (n < 0) { printf("%s: getdents64 %s\n", path, errname(errno)); break; }
        if (n == 0) break;
        calls++;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (void *)(buf + off);
            uint64_t h = 1469598103934665603ULL;
            for (const char *p = d->d_name; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
            sum += h;                       /* order-independent */
            count++;
            off += d->d_reclen;
        }
        if (calls > 100000) { printf("%s: the listing does not end\n", path); break; }
    }
    close(fd);
    printf("%s with %d-byte reads: %ld entries, names checksum %016llx, several calls: %s\n",
           path, bufsize, count, (unsigned long long)sum, calls > 1 ? "yes" : "no");
}

int main(void) {
    list("/", 128);
    list("/usr/bin", 512);
    list("/usr/include", 300);
    list("/etc", 1024);
    return 0;
}
