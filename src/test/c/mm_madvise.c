// madvise(2) beyond DONTNEED on anonymous memory: DONTNEED on a private file mapping reads the
// file again; DONTFORK leaves the child without the area, WIPEONFORK gives the child zeros,
// DOFORK/KEEPONFORK undo them; MAP_SHARED anonymous memory is shared across fork; FREE,
// POPULATE_READ/WRITE and the hints; and the errors (EINVAL, ENOMEM, EACCES, EFAULT).
#include "jux_test.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <sys/wait.h>

#define PAGE 4096UL

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

static sigjmp_buf jump;

static void on_segv(int sig) {
    (void) sig;
    siglongjmp(jump, 1);
}

/* In a child: 1 if the byte at p can be read (value in *out), 0 if the read faults. */
static int readable(volatile unsigned char *p, int *out) {
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(jump, 1)) return 0;
    *out = *p;
    return 1;
}

static int child_status(pid_t pid) {
    int status;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

int main(void) {
    unsigned char *keep = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *wipe = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(keep != MAP_FAILED && gone != MAP_FAILED && wipe != MAP_FAILED && shared != MAP_FAILED);
    memset(keep, 0x11, PAGE);
    memset(gone, 0x22, PAGE);
    memset(wipe, 0x33, 2 * PAGE);
    shared[0] = 1;
    SHOW_ERR(madvise(gone, PAGE, MADV_DONTFORK));
    SHOW_ERR(madvise(wipe, PAGE, MADV_WIPEONFORK));      /* the first page only */

    pid_t pid = fork();
    if (pid == 0) {
        int v = -1;
        int r = 0;
        if (keep[0] == 0x11) r |= 1;
        if (!readable(gone, &v)) r |= 2;                   /* DONTFORK: no mapping in the child */
        if (wipe[0] == 0 && wipe[PAGE - 1] == 0) r |= 4;   /* WIPEONFORK: zeros */
        if (wipe[PAGE] == 0x33) r |= 8;                    /* the second page was copied */
        shared[0] = 2;
        _exit(r);
    }
    printf("child: keep copied, DONTFORK unmapped, WIPEONFORK zeroed, rest copied: %d (15 expected)\n", child_status(pid));
    printf("parent still has its pages: %s\n", gone[0] == 0x22 && wipe[0] == 0x33 ? "yes" : "no");
    printf("parent sees the child's write to shared memory: %s\n", shared[0] == 2 ? "yes" : "no");

    SHOW_ERR(madvise(gone, PAGE, MADV_DOFORK));
    SHOW_ERR(madvise(wipe, PAGE, MADV_KEEPONFORK));
    pid = fork();
    if (pid == 0) _exit((gone[0] == 0x22 ? 1 : 0) | (wipe[0] == 0x33 ? 2 : 0));
    printf("after DOFORK and KEEPONFORK the child has both: %d (3 expected)\n", child_status(pid));

    /* WIPEONFORK applies to private anonymous memory only. */
    SHOW_ERR(madvise(shared, PAGE, MADV_WIPEONFORK));

    /* DONTNEED on a private file mapping: written pages go, the file's bytes come back. */
    char path[] = "/tmp/mm_madvise_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    char text[PAGE];
    memset(text, 'f', sizeof text);
    CHECK(write(fd, text, sizeof text) == (ssize_t) sizeof text);
    char *fm = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(fm != MAP_FAILED);
    fm[0] = 'X';
    printf("private file page after a write: %c\n", fm[0]);
    SHOW_ERR(madvise(fm, PAGE, MADV_DONTNEED));
    printf("after DONTNEED it reads the file again: %c\n", fm[0]);
    SHOW_ERR(madvise(fm, PAGE, MADV_FREE));              /* FREE: private anonymous only */
    SHOW_ERR(madvise(fm, PAGE, MADV_REMOVE));            /* a private file mapping: EACCES */
    SHOW_ERR(madvise(keep, PAGE, MADV_REMOVE));          /* private anonymous: EINVAL */
    SHOW_ERR(madvise(fm, PAGE, MADV_WILLNEED));
    SHOW_ERR(madvise(fm, PAGE, MADV_SEQUENTIAL));
    SHOW_ERR(madvise(fm, PAGE, MADV_RANDOM));

    /* MADV_REMOVE on shared anonymous memory punches a hole: zeros. */
    shared[0] = 7;
    SHOW_ERR(madvise(shared, PAGE, MADV_REMOVE));
    printf("shared page after REMOVE: %d\n", shared[0]);

    /* MADV_FREE keeps the contents until memory runs short. */
    SHOW_ERR(madvise(keep, PAGE, MADV_FREE));
    printf("FREE page still readable: %s\n", keep[0] == 0x11 || keep[0] == 0 ? "yes" : "no");

    /* Hints are accepted. */
    SHOW_ERR(madvise(keep, PAGE, MADV_NORMAL));
    SHOW_ERR(madvise(keep, PAGE, MADV_HUGEPAGE));
    SHOW_ERR(madvise(keep, PAGE, MADV_NOHUGEPAGE));
    SHOW_ERR(madvise(keep, PAGE, MADV_DONTDUMP));
    SHOW_ERR(madvise(keep, PAGE, MADV_DODUMP));
    SHOW_ERR(madvise(keep, PAGE, MADV_COLD));

    /* POPULATE_READ/WRITE fill pages in; a read-only area cannot be populated for writing. */
    unsigned char *ro = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED);
    SHOW_ERR(madvise(ro, 4 * PAGE, MADV_POPULATE_READ));
    SHOW_ERR(madvise(ro, 4 * PAGE, MADV_POPULATE_WRITE));
    unsigned char vec[4];
    SHOW_ERR(mincore(ro, 4 * PAGE, vec));
    printf("populated pages resident: %d %d %d %d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
    unsigned char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    SHOW_ERR(madvise(none, PAGE, MADV_POPULATE_READ));

    /* Errors: unknown advice before anything else, unaligned start, unmapped ranges. */
    SHOW_ERR(madvise(keep, 0, 999));
    SHOW_ERR(madvise(keep + 1, PAGE, MADV_DONTFORK));
    SHOW_ERR(madvise(keep, 0, MADV_DONTFORK));
    SHOW_ERR(munmap(ro + PAGE, PAGE));
    SHOW_ERR(madvise(ro, 3 * PAGE, MADV_DONTFORK));      /* a hole: ENOMEM, the mapped parts get it */
    SHOW_ERR(madvise(ro + PAGE, PAGE, MADV_NORMAL));
    SHOW_ERR(madvise(ro + PAGE, PAGE, MADV_POPULATE_READ));
    SHOW_ERR(madvise(ro, 3 * PAGE, MADV_DOFORK));
    SHOW_ERR(madvise((void *) -PAGE, 2 * PAGE, MADV_NORMAL));
    return 0;
}
