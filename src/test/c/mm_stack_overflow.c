// Infinite recursion: the stack grows to RLIMIT_STACK (8 MiB) and the next fault is SIGSEGV;
// with no alternate stack the handler cannot run, so the process dies by the signal.
// expect-signal: SIGSEGV
#include "jux_test.h"
#include <signal.h>

static void handler(int sig) {
    (void) sig;
    static const char msg[] = "handler ran on the overflowed stack\n";
    write(1, msg, sizeof msg - 1);
    _exit(1);
}

__attribute__((noinline)) static long forever(long n) {
    volatile char frame[256];
    frame[0] = (char) n;
    return forever(n + 1) + frame[0];
}

int main(void) {
    signal(SIGSEGV, handler);               /* no sigaltstack: delivering it fails, SIGSEGV kills */
    printf("recursing\n");
    fflush(stdout);
    return (int) forever(0);
}
