// Not run yet (needs fork, issue 4's procs part): move to src/test/c/ once fork works.
// Blocking FIFO opens across processes: O_RDONLY waits for a writer, O_WRONLY for a reader,
// data flows, the reader sees end of file when the writer exits, poll wakes across processes.
#include "../jux_test.h"
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

int main(void) {
    char path[] = "/tmp/fifo_fork.XXXXXX";
    if (!mkdtemp(path)) return 1;
    char fifo[64];
    snprintf(fifo, sizeof fifo, "%s/f", path);
    SHOW_ERR(mkfifo(fifo, 0600));
    pid_t child = fork();
    if (child == 0) {
        int w = open(fifo, O_WRONLY); /* blocks until the parent opens for reading */
        write(w, "hello", 5);
        usleep(50000);
        write(w, " again", 6);
        _exit(0);
    }
    int r = open(fifo, O_RDONLY); /* blocks until the child opens for writing */
    printf("reader opened: %s\n", r >= 0 ? "yes" : errname(errno));
    char buf[32];
    ssize_t n = read(r, buf, sizeof buf);
    printf("first read: %zd '%.*s'\n", n, (int)n, buf);
    struct pollfd p = {r, POLLIN, 0};
    SHOW_RET(poll(&p, 1, 5000));
    n = read(r, buf, sizeof buf);
    printf("second read: %zd '%.*s'\n", n, (int)n, buf);
    int status;
    waitpid(child, &status, 0);
    SHOW_RET(read(r, buf, sizeof buf));
    p.revents = 0;
    SHOW_RET(poll(&p, 1, 0));
    printf("POLLHUP after the writer exited: %s\n", (p.revents & POLLHUP) ? "yes" : "no");
    close(r);
    unlink(fifo);
    rmdir(path);
    return 0;
}
