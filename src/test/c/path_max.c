// PATH_MAX counts the terminating NUL: a path of 4095 bytes is looked up (and not found
// here), one of 4096 bytes fails with ENAMETOOLONG before any lookup.
#include "jux_test.h"
#include <fcntl.h>
#include <stdlib.h>

static char *path_of_length(size_t n) {
    static const char name[] = "jux-no-such-file";
    char *p = malloc(n + 1);
    memset(p, '/', n - strlen(name));
    memcpy(p + n - strlen(name), name, strlen(name) + 1);
    return p;
}

int main(void) {
    char *fits = path_of_length(4095), *too_long = path_of_length(4096);
    SHOW_ERR(syscall(SYS_openat, AT_FDCWD, fits, O_RDONLY));
    SHOW_ERR(syscall(SYS_openat, AT_FDCWD, too_long, O_RDONLY));
    SHOW_ERR(syscall(SYS_open, too_long, O_RDONLY));
    return 0;
}
