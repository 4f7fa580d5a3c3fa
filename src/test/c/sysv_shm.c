// System V shared memory: shmget (IPC_PRIVATE, keys, IPC_CREAT/IPC_EXCL, size errors,
// SHM_NORESERVE), shmat (address 0, SHM_RND, a misaligned address, SHM_RDONLY with a faulting
// write, SHM_EXEC, SHM_REMAP), shmdt (wrong addresses, a split attachment), the attachment
// count (shm_nattch) across fork, shmdt, exit, execve, munmap of a part, mprotect splits and
// mremap, IPC_RMID while attached (still usable, the key gone, destroyed at the last detach),
// shmctl's IPC_STAT/IPC_SET/SHM_STAT/SHM_STAT_ANY/IPC_INFO/SHM_INFO/SHM_LOCK, EFAULT,
// permissions as another user, /proc/sysvipc/shm and /proc/self/maps.
#include "jux_test.h"
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY 15
#endif
#ifndef SHM_REMAP
#define SHM_REMAP 040000
#endif
#ifndef SHM_EXEC
#define SHM_EXEC 0100000
#endif
#ifndef SHM_NORESERVE
#define SHM_NORESERVE 010000
#endif
#define SHM_DEST_BIT 01000
#define SHM_LOCKED_BIT 02000
#define PAGE 4096

static int reap(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long nattch(int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) return -1000 - errno;
    return (long) ds.shm_nattch;
}

/* The protection column ("rw-s") of the /proc/self/maps line that starts at addr, or "none". */
static const char *maps_perms(void *addr, int *sysv) {
    static char perms[8];
    char line[512];
    FILE *f = fopen("/proc/self/maps", "r");
    strcpy(perms, "none");
    *sysv = 0;
    if (!f) return perms;
    while (fgets(line, sizeof line, f)) {
        unsigned long start;
        char p[8];
        if (sscanf(line, "%lx-%*x %7s", &start, p) == 2 && start == (unsigned long) addr) {
            strcpy(perms, p);
            *sysv = strstr(line, "/SYSV") != NULL;
        }
    }
    fclose(f);
    return perms;
}

static sigjmp_buf fault_jump;

static void on_segv(int sig) {
    (void) sig;
    siglongjmp(fault_jump, 1);
}

/* Writes one byte at p; returns 1 if the write faulted. */
static int write_faults(volatile char *p) {
    struct sigaction sa = {0}, old;
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, &old);
    int faulted = 0;
    if (sigsetjmp(fault_jump, 1) == 0) *p = 1;
    else faulted = 1;
    sigaction(SIGSEGV, &old, NULL);
    return faulted;
}

static int key_for(int n) {
    return 0x4a550000 ^ (getpid() << 4) ^ n;
}

static void basics(void) {
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    printf("created: %s\n", id >= 0 ? "yes" : errname(errno));
    struct shmid_ds ds;
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    printf("key %d segsz %lu nattch %lu mode %o cpid self %s lpid %d atime %s dtime %s ctime set %s\n",
           (int) ds.shm_perm.__key, (unsigned long) ds.shm_segsz, (unsigned long) ds.shm_nattch,
           (unsigned) ds.shm_perm.mode, ds.shm_cpid == getpid() ? "yes" : "no", (int) ds.shm_lpid,
           ds.shm_atime == 0 ? "0" : "set", ds.shm_dtime == 0 ? "0" : "set", ds.shm_ctime > 0 ? "yes" : "no");
    printf("owner is me: %s, creator is me: %s\n",
           ds.shm_perm.uid == geteuid() && ds.shm_perm.gid == getegid() ? "yes" : "no",
           ds.shm_perm.cuid == geteuid() && ds.shm_perm.cgid == getegid() ? "yes" : "no");

    char *p = shmat(id, NULL, 0);
    printf("attached: %s, page aligned: %s\n", p != (char *) -1 ? "yes" : errname(errno), ((unsigned long) p & 4095) == 0 ? "yes" : "no");
    int zero = 1;
    for (int i = 0; i < 3 * PAGE; i++) zero &= p[i] == 0;
    printf("zero-filled (3 pages, the rounded size): %s\n", zero ? "yes" : "no");
    strcpy(p, "hello");
    strcpy(p + 9999, "!");
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    printf("nattch %lu lpid self %s atime set %s segsz %lu\n", (unsigned long) ds.shm_nattch,
           ds.shm_lpid == getpid() ? "yes" : "no", ds.shm_atime > 0 ? "yes" : "no", (unsigned long) ds.shm_segsz);
    int sysv;
    const char *perms = maps_perms(p, &sysv);
    printf("maps: %s, /SYSV: %s\n", perms, sysv ? "yes" : "no");

    /* A second attachment in the same process sees the same pages. */
    char *q = shmat(id, NULL, 0);
    printf("second attachment elsewhere: %s, sees the data: %s, nattch %ld\n", q != p ? "yes" : "no",
           strcmp(q, "hello") == 0 ? "yes" : "no", nattch(id));
    q[0] = 'j';
    printf("write through one seen through the other: %s\n", p[0] == 'j' ? "yes" : "no");
    SHOW_ERR(shmdt(q));
    printf("nattch %ld\n", nattch(id));

    /* A forked child inherits the attachment; its writes are the parent's. */
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: nattch %ld, sees %s\n", nattch(id), p);
        strcpy(p, "from the child");
        fflush(stdout);
        _exit(0);
    }
    printf("child exit %d\n", reap(pid));
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    printf("parent reads: %s, nattch %lu, lpid is the child: %s, dtime set %s\n", p, (unsigned long) ds.shm_nattch,
           ds.shm_lpid == pid ? "yes" : "no", ds.shm_dtime > 0 ? "yes" : "no");

    /* A child that detaches explicitly, then attaches again and exits attached. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        SHOW_ERR(shmdt(p));
        printf("child after shmdt: nattch %ld, mapping gone: %s\n", nattch(id), write_faults(p) ? "yes" : "no");
        char *r = shmat(id, NULL, SHM_RDONLY);
        printf("child attached again: nattch %ld, reads %s\n", nattch(id), r);
        fflush(stdout);
        _exit(0);
    }
    int status = reap(pid);
    printf("child exit %d, nattch %ld\n", status, nattch(id));

    /* execve detaches. */
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char arg[32];
        snprintf(arg, sizeof arg, "%d", id);
        execl("/proc/self/exe", "sysv_shm", "nattch", arg, (char *) NULL);
        _exit(99);
    }
    status = reap(pid);
    printf("exec child exit %d, nattch %ld\n", status, nattch(id));

    SHOW_ERR(shmdt(p));
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    printf("nattch %lu, lpid self %s, dtime set %s\n", (unsigned long) ds.shm_nattch, ds.shm_lpid == getpid() ? "yes" : "no",
           ds.shm_dtime > 0 ? "yes" : "no");
    SHOW_ERR(shmdt(p));
    /* Attached again, the data is still there. */
    p = shmat(id, NULL, SHM_RDONLY);
    printf("still there: %s, end: %s\n", p, p + 9999);
    SHOW_ERR(shmdt(p));
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
}

/* Splits and partial unmaps: Linux counts vmas. */
static void splits(void) {
    int id = shmget(IPC_PRIVATE, 3 * PAGE, 0600);
    char *p = shmat(id, NULL, 0);
    printf("split: nattch %ld\n", nattch(id));
    SHOW_ERR(mprotect(p + PAGE, PAGE, PROT_READ));
    printf("after mprotect of the middle page: nattch %ld\n", nattch(id));
    SHOW_ERR(mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE));
    printf("after mprotect back: nattch %ld\n", nattch(id));
    SHOW_ERR(mprotect(p, 3 * PAGE, PROT_READ));
    printf("after mprotect of everything: nattch %ld\n", nattch(id));
    SHOW_ERR(shmdt(p));
    printf("after shmdt: nattch %ld, gone: %s\n", nattch(id), write_faults(p + 2 * PAGE) ? "yes" : "no");

    p = shmat(id, NULL, 0);
    SHOW_ERR(munmap(p + PAGE, PAGE));
    printf("after munmap of the middle page: nattch %ld\n", nattch(id));
    SHOW_ERR(munmap(p, PAGE));
    printf("after munmap of the first page: nattch %ld\n", nattch(id));
    SHOW_ERR(shmdt(p + PAGE));
    SHOW_ERR(shmdt(p));
    printf("after shmdt: nattch %ld\n", nattch(id));

    /* mremap moves an attachment: still one, and shmdt works at the new place. */
    p = shmat(id, NULL, 0);
    p[0] = 'm';
    char *hole = mmap(NULL, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *moved = mremap(p, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
    printf("moved: %s, nattch %ld, data %c\n", moved == hole ? "yes" : "no", nattch(id), moved[0]);
    SHOW_ERR(shmdt(p));
    SHOW_ERR(shmdt(moved));
    printf("nattch %ld\n", nattch(id));
    /* A split attachment counts twice in a forked child too. */
    p = shmat(id, NULL, 0);
    mprotect(p, PAGE, PROT_READ);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child of a split attachment: nattch %ld\n", nattch(id));
        fflush(stdout);
        _exit(0);
    }
    reap(pid);
    printf("after the child: nattch %ld\n", nattch(id));
    shmdt(p);
    printf("nattch %ld\n", nattch(id));
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
}

static void addresses(void) {
    int id = shmget(IPC_PRIVATE, 2 * PAGE, 0700);   /* x: SHM_EXEC needs it (root does not) */
    char *p = shmat(id, NULL, 0);
    shmdt(p);
    char *r = shmat(id, p + 123, SHM_RND);
    printf("SHM_RND rounds down: %s\n", r == p ? "yes" : "no");
    shmdt(r);
    errno = 0;
    r = shmat(id, p + 123, 0);
    printf("misaligned: %s\n", r == (char *) -1 ? errname(errno) : "attached");
    r = shmat(id, p, 0);
    printf("at a free aligned address: %s\n", r == p ? "yes" : "no");
    errno = 0;
    char *again = shmat(id, p, 0);
    printf("over an attachment without SHM_REMAP: %s\n", again == (char *) -1 ? errname(errno) : "attached");
    again = shmat(id, p, SHM_REMAP);
    printf("with SHM_REMAP: %s, nattch %ld\n", again == p ? "yes" : errname(errno), nattch(id));
    SHOW_ERR(shmdt(p));
    char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    anon[PAGE] = 'x';
    errno = 0;
    r = shmat(id, anon + PAGE, 0);
    printf("over anonymous memory: %s\n", r == (char *) -1 ? errname(errno) : "attached");
    r = shmat(id, anon + PAGE, SHM_REMAP);
    printf("SHM_REMAP over anonymous memory: %s, replaced: %s\n", r == anon + PAGE ? "yes" : errname(errno), r[0] == 0 ? "yes" : "no");
    errno = 0;
    r = shmat(id, NULL, SHM_REMAP);
    printf("SHM_REMAP without an address: %s\n", r == (char *) -1 ? errname(errno) : "attached");
    SHOW_ERR(shmdt(anon));
    SHOW_ERR(shmdt(anon + 2 * PAGE));
    SHOW_ERR(shmdt(anon + PAGE + 1));
    SHOW_ERR(shmdt(anon + PAGE));
    SHOW_ERR(shmdt(anon + PAGE));
    SHOW_ERR(shmdt(NULL));
    printf("nattch %ld\n", nattch(id));

    /* SHM_RDONLY: writes fault; SHM_EXEC adds execute. */
    p = shmat(id, NULL, SHM_RDONLY);
    int sysv;
    printf("SHM_RDONLY maps %s, write faults: %s\n", maps_perms(p, &sysv), write_faults(p) ? "yes" : "no");
    shmdt(p);
    p = shmat(id, NULL, SHM_EXEC);
    printf("SHM_EXEC maps %s\n", maps_perms(p, &sysv));
    shmdt(p);
    p = shmat(id, NULL, SHM_EXEC | SHM_RDONLY);
    printf("SHM_EXEC|SHM_RDONLY maps %s\n", maps_perms(p, &sysv));
    shmdt(p);
    errno = 0;
    p = shmat(-1, NULL, 0);
    printf("shmat(-1): %s\n", p == (char *) -1 ? errname(errno) : "attached");
    errno = 0;
    p = shmat(id + 32768, NULL, 0);
    printf("shmat(stale id): %s\n", p == (char *) -1 ? errname(errno) : "attached");
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
}

/* Addresses beyond user space: shmat is ENOMEM (EINVAL when the end wraps), shmdt EINVAL; mmap agrees. */
static void far_addresses(void) {
    int id = shmget(IPC_PRIVATE, 2 * PAGE, 0600);
    unsigned long addrs[] = {0x7ffffffff000UL, 0x7ffffffffe000UL, 0x800000000000UL, 0xffff800000000000UL, 0xfffffffffffff000UL};
    for (int i = 0; i < 5; i++) {
        errno = 0;
        void *p = shmat(id, (void *) addrs[i], 0);
        const char *at = p == (void *) -1 ? errname(errno) : "attached";
        errno = 0;
        p = shmat(id, (void *) addrs[i], SHM_REMAP);
        const char *remap = p == (void *) -1 ? errname(errno) : "attached";
        errno = 0;
        int r = shmdt((void *) addrs[i]);
        const char *dt = r < 0 ? errname(errno) : "ok";
        errno = 0;
        p = mmap((void *) addrs[i], 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        printf("%lx: shmat %s, SHM_REMAP %s, shmdt %s, mmap MAP_FIXED %s\n", addrs[i], at, remap, dt,
               p == MAP_FAILED ? errname(errno) : "mapped");
    }
    shmctl(id, IPC_RMID, NULL);
}

static void removal(void) {
    int key = key_for(1);
    int id = shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0600);
    printf("keyed: %s\n", id >= 0 ? "yes" : errname(errno));
    printf("same key again: %s\n", shmget(key, 5000, 0) == id ? "yes" : errname(errno));
    printf("smaller request: %s\n", shmget(key, 100, 0) == id ? "yes" : errname(errno));
    SHOW_ERR(shmget(key, 5001, 0));
    SHOW_ERR(shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0600));
    SHOW_ERR(shmget(key_for(2), 5000, 0600));
    char *p = shmat(id, NULL, 0);
    strcpy(p, "kept");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        /* The child keeps its attachment while the parent removes the segment. */
        usleep(100000);
        printf("child after IPC_RMID reads: %s, writes\n", p);
        strcpy(p, "child wrote after IPC_RMID");
        fflush(stdout);
        _exit(0);
    }
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
    struct shmid_ds ds;
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    printf("after IPC_RMID: key %d, SHM_DEST %s, nattch %lu\n", (int) ds.shm_perm.__key,
           (ds.shm_perm.mode & SHM_DEST_BIT) ? "yes" : "no", (unsigned long) ds.shm_nattch);
    SHOW_ERR(shmget(key, 5000, 0));
    printf("child exit %d\n", reap(pid));
    printf("parent reads: %s\n", p);
    char *again = shmat(id, NULL, 0);
    printf("attach a removed segment by id: %s, nattch %ld\n", again != (char *) -1 ? "yes" : errname(errno), nattch(id));
    if (again != (char *) -1) shmdt(again);
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
    SHOW_ERR(shmdt(p));
    SHOW_ERR(shmctl(id, IPC_STAT, &ds));
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
    errno = 0;
    p = shmat(id, NULL, 0);
    printf("shmat after the last detach: %s\n", p == (char *) -1 ? errname(errno) : "attached");
    /* The key is free again. */
    id = shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0600);
    printf("key reusable: %s\n", id >= 0 ? "yes" : errname(errno));
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
}

static void sizes(void) {
    SHOW_ERR(shmget(IPC_PRIVATE, 0, 0600));
    SHOW_ERR(shmget(IPC_PRIVATE, (size_t) -1, 0600));
    SHOW_ERR(shmget(IPC_PRIVATE, (size_t) 1 << 62, 0600));
    int id = shmget(IPC_PRIVATE, (size_t) 1 << 48, SHM_NORESERVE | 0600);
    printf("256 TiB with SHM_NORESERVE: %s\n", id >= 0 ? "yes" : errname(errno));
    if (id >= 0) {
        struct shmid_ds ds;
        shmctl(id, IPC_STAT, &ds);
        printf("segsz 2^%d\n", __builtin_ctzl(ds.shm_segsz));
        shmctl(id, IPC_RMID, NULL);
    }
    id = shmget(IPC_PRIVATE, 1, 0600);
    char *p = shmat(id, NULL, 0);
    p[PAGE - 1] = 1;
    printf("1 byte segment: a whole page usable: yes\n");
    shmdt(p);
    shmctl(id, IPC_RMID, NULL);
}

static void control(void) {
    int id = shmget(IPC_PRIVATE, 8192, 0640);
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 07604;
    ds.shm_segsz = 1;
    SHOW_ERR(shmctl(id, IPC_SET, &ds));
    shmctl(id, IPC_STAT, &ds);
    printf("after IPC_SET: mode %o segsz %lu\n", (unsigned) ds.shm_perm.mode, (unsigned long) ds.shm_segsz);
    ds.shm_perm.uid = (uid_t) -1;
    SHOW_ERR(shmctl(id, IPC_SET, &ds));
    SHOW_ERR(shmctl(id, IPC_STAT, (struct shmid_ds *) 1));
    SHOW_ERR(shmctl(id, IPC_SET, (struct shmid_ds *) 1));
    SHOW_ERR(shmctl(id, 99, &ds));
    SHOW_ERR(shmctl(-1, IPC_STAT, &ds));
    SHOW_ERR(shmctl(id + 32768, IPC_STAT, &ds));
    SHOW_ERR(shmctl(id, IPC_STAT | 0x100, &ds));

    struct shminfo info;
    int maxidx = shmctl(0, IPC_INFO, (struct shmid_ds *) &info);
    printf("IPC_INFO: max index >= ours: %s, shmmin %lu shmmni %lu shmseg %lu shmmax big %s shmall big %s\n",
           maxidx >= id % 32768 ? "yes" : "no", info.shmmin, info.shmmni, info.shmseg,
           info.shmmax >= ((unsigned long) 1 << 40) ? "yes" : "no", info.shmall >= ((unsigned long) 1 << 30) ? "yes" : "no");
    struct shm_info sinfo;
    maxidx = shmctl(0, SHM_INFO, (struct shmid_ds *) &sinfo);
    printf("SHM_INFO: max index >= ours: %s, used_ids >= 1: %s, shm_tot >= 2: %s\n", maxidx >= id % 32768 ? "yes" : "no",
           sinfo.used_ids >= 1 ? "yes" : "no", sinfo.shm_tot >= 2 ? "yes" : "no");
    printf("SHM_STAT gives the id: %s\n", shmctl(id % 32768, SHM_STAT, &ds) == id ? "yes" : "no");
    printf("SHM_STAT_ANY gives the id: %s\n", shmctl(id % 32768, SHM_STAT_ANY, &ds) == id ? "yes" : "no");

    if (geteuid() == 0) {
        SHOW_ERR(shmctl(id, SHM_LOCK, NULL));
        shmctl(id, IPC_STAT, &ds);
        printf("SHM_LOCKED: %s\n", (ds.shm_perm.mode & SHM_LOCKED_BIT) ? "yes" : "no");
        SHOW_ERR(shmctl(id, SHM_UNLOCK, NULL));
        shmctl(id, IPC_STAT, &ds);
        printf("SHM_LOCKED: %s\n", (ds.shm_perm.mode & SHM_LOCKED_BIT) ? "yes" : "no");
    } else {
        printf("shmctl(id, SHM_LOCK, NULL) = ok\nSHM_LOCKED: yes\nshmctl(id, SHM_UNLOCK, NULL) = ok\nSHM_LOCKED: no\n");
    }

    /* /proc/sysvipc/shm lists it. */
    FILE *f = fopen("/proc/sysvipc/shm", "r");
    char line[512];
    int listed = 0;
    if (f) {
        if (fgets(line, sizeof line, f))
            printf("header starts: %.40s\n", line);
        while (fgets(line, sizeof line, f)) {
            int k, i;
            if (sscanf(line, "%d %d", &k, &i) == 2 && i == id) listed = 1;
        }
        fclose(f);
    }
    printf("listed: %s\n", listed ? "yes" : "no");
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
}

/* Another user (root becomes 65534; 65534 stays itself, the owner of a 0404 segment): read only. */
static void permissions(void) {
    int id = shmget(IPC_PRIVATE, PAGE, 0404);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534))) _exit(9);
        errno = 0;
        char *p = shmat(id, NULL, 0);
        printf("read-write: %s\n", p == (char *) -1 ? errname(errno) : "attached");
        p = shmat(id, NULL, SHM_RDONLY);
        printf("read-only: %s\n", p == (char *) -1 ? errname(errno) : "attached");
        struct shmid_ds ds;
        SHOW_ERR(shmctl(id, IPC_STAT, &ds));
        fflush(stdout);
        _exit(0);
    }
    printf("child exit %d\n", reap(pid));
    SHOW_ERR(shmctl(id, IPC_RMID, NULL));
}

int main(int argc, char **argv) {
    if (argc > 2) {   /* the program an attached child execs: the attachment is gone */
        long n = nattch(atoi(argv[2]));
        printf("after execve: nattch %ld\n", n);
        fflush(stdout);
        return 0;
    }
    basics();
    splits();
    addresses();
    far_addresses();
    removal();
    sizes();
    control();
    permissions();
    return 0;
}
