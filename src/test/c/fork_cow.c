// Needs fork (the procs branch): move to src/test/c/ when fork and wait4 are on main.
// Memory across fork: private pages are copied on write (each side keeps its own), shared
// anonymous and shared file mappings are one memory for both, private file pages are private.
#include "fs_scratch.h"
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    scratch_enter();
    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[2 * PG];
    memset(buf, 'F', sizeof buf);
    write(fd, buf, sizeof buf);

    char *priv = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *shared = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *fshared = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *fpriv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    for (int i = 0; i < 64; i += 2) priv[i * PG] = 'p';
    shared[0] = 's';
    fpriv[0] = 'q';
    static char in_data = 'd';

    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 64; i++) priv[i * PG] = 'c';
        shared[0] = 'S';
        shared[PG] = 'T';           // a page neither touched before fork
        fshared[1] = 'W';
        fpriv[0] = 'Q';
        in_data = 'D';
        printf("child sees its writes: %s\n", priv[2 * PG] == 'c' && fpriv[0] == 'Q' && in_data == 'D' ? "yes" : "no");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited 0: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");
    int kept = 1;
    for (int i = 0; i < 64; i++) kept &= priv[i * PG] == (i % 2 == 0 ? 'p' : 0);
    printf("parent's private pages unchanged: %s\n", kept ? "yes" : "no");
    printf("parent's data unchanged: %s\n", in_data == 'd' ? "yes" : "no");
    printf("shared anonymous seen: %c %c\n", shared[0], shared[PG]);
    printf("shared file seen: %c\n", fshared[1]);
    printf("private file unchanged: %c\n", fpriv[0]);
    priv[0] = 'P';                  // the parent's write after the child is gone
    printf("parent writes again: %c\n", priv[0]);
    munmap(fshared, 2 * PG);
    char c;
    pread(fd, &c, 1, 1);
    printf("file after munmap: %c\n", c);
    close(fd);
    scratch_leave();
    return 0;
}
