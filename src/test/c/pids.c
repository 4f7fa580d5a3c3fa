// Process and thread ids: positive, stable, and the thread id of a single-threaded process is
// its process id.
#include "jux_test.h"

int main(void) {
    pid_t pid = getpid();
    CHECK(pid > 0);
    CHECK(getpid() == pid);
    CHECK(syscall(SYS_getpid) == pid);
    CHECK(syscall(SYS_gettid) == pid);
    CHECK(getppid() >= 0);
    CHECK(getppid() != pid);
    CHECK(getppid() == syscall(SYS_getppid));
    return 0;
}
