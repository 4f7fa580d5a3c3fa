// openat2(2): struct open_how's size rules (EINVAL below 24, E2BIG for a non-zero tail), its
// flag and resolve checks, and the RESOLVE_* restrictions: BENEATH (EXDEV on escaping, also
// through "..", an absolute path or a symlink), IN_ROOT (the dirfd acts as /), NO_SYMLINKS and
// NO_XDEV.
#include "jux_test.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#endif

struct how { unsigned long long flags, mode, resolve; };

static long o2(int dirfd, const char *path, unsigned long long flags, unsigned long long mode,
               unsigned long long resolve) {
    struct how h = {flags, mode, resolve};
    long fd = syscall(SYS_openat2, dirfd, path, &h, sizeof h);
    if (fd >= 0) close((int) fd);
    return fd < 0 ? fd : 0;
}

static long raw(int dirfd, const char *path, void *how, size_t size) {
    long fd = syscall(SYS_openat2, dirfd, path, how, size);
    if (fd >= 0) close((int) fd);
    return fd < 0 ? fd : 0;
}

#define SHOW(call) do { long r_ = (call); printf("%-60s %s\n", #call, r_ == 0 ? "ok" : errname(errno)); } while (0)

int main(void) {
    mkdir("/tmp/jux-o2", 0755);
    mkdir("/tmp/jux-o2/d", 0755);
    close(open("/tmp/jux-o2/d/f", O_WRONLY | O_CREAT, 0644));
    close(open("/tmp/jux-o2/top", O_WRONLY | O_CREAT, 0644));
    symlink("f", "/tmp/jux-o2/d/in");
    symlink("../top", "/tmp/jux-o2/d/out");
    symlink("/tmp/jux-o2/d/f", "/tmp/jux-o2/d/abs");
    int d = open("/tmp/jux-o2/d", O_RDONLY | O_DIRECTORY);

    // The struct: sizes and unknown bits.
    struct { struct how h; unsigned long long extra; } big = {{O_RDONLY, 0, 0}, 0};
    SHOW(raw(d, "f", &big, sizeof big));
    big.extra = 1;
    SHOW(raw(d, "f", &big, sizeof big));
    SHOW(raw(d, "f", &big.h, 16));
    SHOW(raw(d, "f", NULL, 24));
    SHOW(raw(d, "f", &big.h, 8192));
    SHOW(o2(d, "f", O_RDONLY | 0x40000000, 0, 0));
    SHOW(o2(d, "f", O_RDONLY, 0644, 0));
    SHOW(o2(d, "f", O_RDONLY, 0, 0x40));
    SHOW(o2(d, "f", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
    SHOW(o2(d, "new", O_WRONLY | O_CREAT, 01000000, 0));

    // RESOLVE_BENEATH.
    SHOW(o2(d, "f", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "in", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "../top", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "out", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "abs", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "/tmp/jux-o2/top", O_RDONLY, 0, RESOLVE_BENEATH));
    SHOW(o2(d, "./../d/f", O_RDONLY, 0, RESOLVE_BENEATH));

    // RESOLVE_IN_ROOT: "/" and ".." stop at the dirfd.
    SHOW(o2(d, "/f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    SHOW(o2(d, "../../f", O_RDONLY, 0, RESOLVE_IN_ROOT));
    SHOW(o2(d, "out", O_RDONLY, 0, RESOLVE_IN_ROOT));

    // RESOLVE_NO_SYMLINKS, NO_MAGICLINKS (plain symlinks still followed), NO_XDEV.
    SHOW(o2(d, "in", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    SHOW(o2(d, "in", O_RDONLY | O_NOFOLLOW | O_PATH, 0, RESOLVE_NO_SYMLINKS));
    SHOW(o2(d, "in", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
    SHOW(o2(AT_FDCWD, "/proc/self/status", O_RDONLY, 0, RESOLVE_NO_XDEV));
    SHOW(o2(AT_FDCWD, "/nonexistent", O_RDONLY, 0, 0));
    SHOW(o2(99, "f", O_RDONLY, 0, 0));

    close(d);
    unlink("/tmp/jux-o2/d/new");
    unlink("/tmp/jux-o2/d/f");
    unlink("/tmp/jux-o2/d/in");
    unlink("/tmp/jux-o2/d/out");
    unlink("/tmp/jux-o2/d/abs");
    unlink("/tmp/jux-o2/top");
    rmdir("/tmp/jux-o2/d");
    rmdir("/tmp/jux-o2");
    return 0;
}
