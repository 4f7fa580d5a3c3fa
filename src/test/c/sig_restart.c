// Blocking calls interrupted by a handled signal (setitimer's SIGALRM): a pipe read fails with
// EINTR without SA_RESTART and is restarted with it (the handler writes the byte it then
// reads); pause and sigsuspend always fail with EINTR; nanosleep fails with EINTR even under
// SA_RESTART and reports the time left.
#include "jux_test.h"
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <fcntl.h>
#include <time.h>

static int fds[2];
static volatile int alarms, feed;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
    if (feed) write(fds[1], "x", 1);
}

/* Periodic, so that an expiry that comes before the call blocks (a slow machine) is not the
 * only one: the next interrupts the call. Stopped after each call. */
static void arm_ms(int ms) {
    struct itimerval it = {{0, ms * 1000}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm(void) {
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
}

static void handle(int flags) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    sigaction(SIGALRM, &sa, NULL);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pipe(fds);
    char c = 0;

    printf("-- read, no SA_RESTART\n");
    handle(0);
    arm_ms(20);
    SHOW_ERR(read(fds[0], &c, 1));
    disarm();
    CHECK(alarms >= 1);

    printf("-- read, SA_RESTART: restarted, reads what the handler wrote\n");
    handle(SA_RESTART);
    feed = 1;
    arm_ms(20);
    SHOW_RET(read(fds[0], &c, 1));
    disarm();
    feed = 0;
    CHECK(c == 'x');
    fcntl(fds[0], F_SETFL, O_NONBLOCK);   /* drain what later alarms wrote */
    while (read(fds[0], &c, 1) == 1) { }
    fcntl(fds[0], F_SETFL, 0);

    printf("-- pause\n");
    arm_ms(20);
    SHOW_ERR(pause());
    disarm();

    printf("-- nanosleep under SA_RESTART still fails\n");
    arm_ms(20);
    struct timespec req = {5, 0}, rem = {0, 0};
    SHOW_ERR(nanosleep(&req, &rem));
    disarm();
    CHECK(rem.tv_sec < 5 && (rem.tv_sec > 0 || rem.tv_nsec > 0));

    printf("-- sigsuspend\n");
    sigset_t none;
    sigemptyset(&none);
    arm_ms(20);
    SHOW_ERR(sigsuspend(&none));
    disarm();

    printf("-- a write to a full pipe\n");
    handle(0);
    static char big[65536 * 2];
    int n = 0;
    arm_ms(50);
    errno = 0;
    long w = write(fds[1], big, sizeof big);
    disarm();
    printf("partial write: %s, errno %s\n", w > 0 && w < (long)sizeof big ? "yes" : "no", errname(errno));
    arm_ms(20);
    SHOW_ERR(write(fds[1], big, 1));
    disarm();
    (void)n;
    return 0;
}
