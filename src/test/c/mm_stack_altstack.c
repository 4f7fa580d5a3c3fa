// Infinite recursion with a SIGSEGV handler on an alternate stack (sigaltstack): the handler
// runs and reports the fault; it is the usual way programs print "stack overflow".
#include "jux_test.h"
#include <signal.h>

static char altstack[64 * 1024];
static volatile long depth;

static void handler(int sig, siginfo_t *info, void *ctx) {
    (void) ctx;
    char here;
    int on_alt = &here >= altstack && &here < altstack + sizeof altstack;
    printf("caught %s, code SEGV_MAPERR: %s, on the alternate stack: %s, deep: %s\n",
           sig == SIGSEGV ? "SIGSEGV" : "another signal", info->si_code == SEGV_MAPERR ? "yes" : "no",
           on_alt ? "yes" : "no", depth > 10000 ? "yes" : "no");
    fflush(stdout);
    _exit(0);
}

__attribute__((noinline)) static long forever(long n) {
    volatile char frame[256];
    frame[0] = (char) n;
    depth = n;
    return forever(n + 1) + frame[0];
}

int main(void) {
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
    SHOW_ERR(sigaltstack(&ss, NULL));
    struct sigaction sa = {0};
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    SHOW_ERR(sigaction(SIGSEGV, &sa, NULL));
    fflush(stdout);
    return (int) forever(0);
}
