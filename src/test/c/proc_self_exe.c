// readlink("/proc/self/exe") names the running binary; readlink truncates silently without
// adding a NUL; a missing path is ENOENT.
#include "jux_test.h"
#include <limits.h>

int main(int argc, char **argv) {
    char buf[PATH_MAX + 1];
    ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX);
    CHECK(n > 0);
    if (n <= 0) return 1;
    buf[n] = '\0';
    const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    printf("binary name: %s\n", base);
    CHECK(buf[0] == '/');
    CHECK((size_t)n > strlen(base) && strcmp(buf + n - strlen(base), base) == 0 && buf[n - strlen(base) - 1] == '/');
    CHECK(strcmp(buf, argv[0]) == 0);

    char small[4] = {'x', 'x', 'x', 'x'};
    SHOW_RET(readlink("/proc/self/exe", small, sizeof small));
    CHECK(memcmp(small, buf, 4) == 0);
    SHOW_ERR(readlink("/no/such/file", buf, sizeof buf));
    SHOW_ERR(syscall(SYS_readlink, "/proc/self/exe", buf, 0));  /* musl's readlink hides this */
    SHOW_ERR(syscall(SYS_readlink, "/proc/self", buf, sizeof buf));
    SHOW_ERR(syscall(SYS_readlink, "/proc/self/exe", (void *)1, sizeof buf));
    return 0;
}
