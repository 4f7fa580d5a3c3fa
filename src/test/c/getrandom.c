// getrandom fills the whole buffer with bytes that are not all zero and differ between
// calls; bad flags and pointers fail.
#include "jux_test.h"
#include <sys/random.h>

static int all_zero(const unsigned char *p, int n) {
    for (int i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

int main(void) {
    unsigned char a[16] = {0}, b[16] = {0}, big[4096] = {0};
    SHOW_RET(syscall(SYS_getrandom, a, sizeof a, 0));
    SHOW_RET(syscall(SYS_getrandom, b, sizeof b, GRND_NONBLOCK));
    CHECK(!all_zero(a, 16));
    CHECK(!all_zero(b, 16));
    CHECK(memcmp(a, b, 16) != 0);
    SHOW_RET(syscall(SYS_getrandom, big, sizeof big, 0));
    CHECK(!all_zero(big + 4080, 16));
    SHOW_RET(syscall(SYS_getrandom, a, 0, 0));
    SHOW_ERR(syscall(SYS_getrandom, a, sizeof a, 0x100));
    SHOW_ERR(syscall(SYS_getrandom, (void *)1, 16, 0));
    return 0;
}
