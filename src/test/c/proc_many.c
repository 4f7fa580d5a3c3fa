// Many processes at once: 300 children alive together, each waiting on a pipe. Under Jux a
// fork may fail with EAGAIN once the platform runs out of vCPUs (or ENOMEM without memory),
// never otherwise; all the children that were made are reaped.
// timeout: 120
#include "jux_test.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

enum { N = 300 };

int main(void) {
    int gate[2];
    pipe(gate);
    int made = 0, other_errors = 0;
    for (int i = 0; i < N; i++) {
        fflush(stdout);
        pid_t c = fork();
        if (c == 0) {
            close(gate[1]);
            char x;
            while (read(gate[0], &x, 1) < 0 && errno == EINTR) {}
            _exit(0);
        }
        if (c > 0) made++;
        else if (errno != EAGAIN && errno != ENOMEM) other_errors++;
    }
    printf("forks failed other than with EAGAIN/ENOMEM: %d\n", other_errors);
    printf("made some: %s\n", made > 100 ? "yes" : "no");
    close(gate[1]);   // end of file for every child
    int reaped = 0, st;
    while (wait(&st) > 0) if (WIFEXITED(st) && WEXITSTATUS(st) == 0) reaped++;
    printf("reaped all: %s (%s)\n", reaped == made ? "yes" : "no", errname(errno));
    return 0;
}
