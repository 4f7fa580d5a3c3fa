// System V semaphores: semget by IPC_PRIVATE and by an ftok key (ENOENT, EEXIST, EINVAL),
// semctl's commands (SETVAL/GETVAL, SETALL/GETALL, GETPID, GETNCNT/GETZCNT, IPC_STAT/IPC_SET,
// SEM_STAT, SEM_STAT_ANY, IPC_INFO/SEM_INFO, IPC_RMID), semop's atomic arrays, IPC_NOWAIT,
// semtimedop's timeout, a sleeper woken by a forked child and by a thread, wait-for-zero,
// SEM_UNDO applied when a child exits, EIDRM for a sleeper, EINTR by SIGALRM (even with
// SA_RESTART), the errors (E2BIG, EFBIG, ERANGE, EINVAL, EFAULT), permissions as another user,
// SEM_UNDO across execve, unshare(CLONE_SYSVSEM), waiters for zero served first, EINTR after
// SIGSTOP/SIGCONT, /proc/sysvipc/sem and /proc/sys/kernel/sem.
// cflags: -pthread
// timeout: 60
#include "jux_test.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <grp.h>

/* glibc wants the caller to define it; musl too. */
union semun { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; };

#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY 20
#endif

static int op(int id, unsigned short num, short delta, short flags) {
    struct sembuf b = {num, delta, flags};
    return semop(id, &b, 1);
}

static int getval(int id, int num) {
    return semctl(id, num, GETVAL);
}

/* Waits until semaphore num of set id has n sleepers of the kind cmd counts (GETNCNT/GETZCNT). */
static int wait_count(int id, int num, int cmd, int n) {
    for (int i = 0; i < 5000; i++) {
        if (semctl(id, num, cmd) == n) return 1;
        usleep(1000);
    }
    return 0;
}

static int reap(pid_t pid) {
    int st;
    if (waitpid(pid, &st, 0) != pid) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The /proc/sysvipc/sem line of set id: key perms nsems uid cuid, and whether otime and ctime are set. */
static void proc_line(int id) {
    FILE *f = fopen("/proc/sysvipc/sem", "r");
    char line[256];
    int found = 0;
    if (!f) { printf("/proc/sysvipc/sem: %s\n", errname(errno)); return; }
    if (!fgets(line, sizeof line, f)) line[0] = 0;
    printf("header: %s", line);
    while (fgets(line, sizeof line, f)) {
        int key, semid, nsems;
        unsigned perms, uid, gid, cuid, cgid;
        long long otime, ctime;
        if (sscanf(line, "%d %d %o %d %u %u %u %u %lld %lld", &key, &semid, &perms, &nsems, &uid, &gid, &cuid, &cgid, &otime, &ctime) != 10) continue;
        if (semid != id) continue;
        found = 1;
        printf("/proc/sysvipc/sem: key %d perms %o nsems %d uid me %s cuid me %s otime set %s ctime set %s\n", key, perms, nsems,
               uid == geteuid() ? "yes" : "no", cuid == geteuid() ? "yes" : "no", otime > 0 ? "yes" : "no", ctime > 0 ? "yes" : "no");
    }
    fclose(f);
    if (!found) printf("/proc/sysvipc/sem: set not listed\n");
}

static void keys(void) {
    char path[] = "/tmp/sysv_sem_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { perror("mkstemp"); exit(1); }
    close(fd);
    key_t k = ftok(path, 'S');
    printf("ftok: %s\n", k == -1 ? "failed" : "ok");
    SHOW_ERR(semget(k, 2, 0600));
    int id = semget(k, 2, IPC_CREAT | 0600);
    printf("created by key: %s\n", id >= 0 ? "yes" : errname(errno));
    printf("same id again: %s\n", semget(k, 2, IPC_CREAT | 0600) == id ? "yes" : "no");
    printf("nsems 0 finds it: %s\n", semget(k, 0, 0) == id ? "yes" : "no");
    SHOW_ERR(semget(k, 2, IPC_CREAT | IPC_EXCL | 0600));
    SHOW_ERR(semget(k, 3, 0600));
    struct semid_ds ds;
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("key kept: %s\n", ds.sem_perm.__key == k ? "yes" : "no");
    SHOW_ERR(semctl(id, 0, IPC_RMID));
    SHOW_ERR(semget(k, 2, 0600));
    unlink(path);
}

static void basics(void) {
    SHOW_ERR(semget(IPC_PRIVATE, -1, 0600));
    SHOW_ERR(semget(IPC_PRIVATE, 32001, 0600));
    SHOW_ERR(semget(IPC_PRIVATE, 0, 0600));
    int id = semget(IPC_PRIVATE, 3, 0600);
    printf("id >= 0: %s\n", id >= 0 ? "yes" : "no");
    int id2 = semget(IPC_PRIVATE, 3, 0600);
    printf("another private set: %s\n", id2 >= 0 && id2 != id ? "yes" : "no");
    semctl(id2, 0, IPC_RMID);

    struct semid_ds ds;
    SHOW_ERR(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("nsems %lu mode %o key %d owner me %s creator me %s otime %ld ctime set %s\n",
           (unsigned long) ds.sem_nsems, (unsigned) ds.sem_perm.mode & 0777, (int) ds.sem_perm.__key,
           ds.sem_perm.uid == geteuid() && ds.sem_perm.gid == getegid() ? "yes" : "no",
           ds.sem_perm.cuid == geteuid() && ds.sem_perm.cgid == getegid() ? "yes" : "no",
           (long) ds.sem_otime, ds.sem_ctime > 0 ? "yes" : "no");
    printf("initial values %d %d %d\n", getval(id, 0), getval(id, 1), getval(id, 2));
    SHOW_RET(semctl(id, 1, SETVAL, 5));
    SHOW_RET(semctl(id, 1, GETVAL));
    printf("GETPID is me: %s\n", semctl(id, 1, GETPID) == getpid() ? "yes" : "no");
    SHOW_RET(semctl(id, 0, GETPID));
    SHOW_ERR(semctl(id, 1, SETVAL, 32768));
    SHOW_ERR(semctl(id, 1, SETVAL, -1));
    SHOW_RET(semctl(id, 1, SETVAL, 32767));
    SHOW_ERR(semctl(id, 3, SETVAL, 1));
    SHOW_ERR(semctl(id, 3, GETVAL));
    SHOW_ERR(semctl(id, -1, GETNCNT));
    unsigned short all[3] = {1, 2, 3}, got[3] = {0};
    SHOW_ERR(semctl(id, 0, SETALL, (union semun){.array = all}));
    SHOW_ERR(semctl(id, 0, GETALL, (union semun){.array = got}));
    printf("GETALL %u %u %u\n", got[0], got[1], got[2]);
    unsigned short big[3] = {1, 40000, 3};
    SHOW_ERR(semctl(id, 0, SETALL, (union semun){.array = big}));
    SHOW_ERR(semctl(id, 0, GETALL, (union semun){.array = got}));
    printf("after ERANGE %u %u %u\n", got[0], got[1], got[2]);
    SHOW_ERR(semctl(id, 0, GETALL, (union semun){.array = (unsigned short *) 8}));
    SHOW_ERR(semctl(id, 0, SETALL, (union semun){.array = (unsigned short *) 8}));
    SHOW_ERR(semctl(id, 0, IPC_STAT, (union semun){.buf = (struct semid_ds *) 8}));
    SHOW_ERR(semctl(id, 0, IPC_SET, (union semun){.buf = (struct semid_ds *) 8}));
    SHOW_ERR(syscall(SYS_semctl, id, 0, IPC_STAT | 0x100, &ds));
    SHOW_ERR(semctl(id, 0, 99));
    SHOW_ERR(semctl(-1, 0, GETVAL));
    SHOW_ERR(semctl(id + 32768, 0, GETVAL));

    /* semop */
    proc_line(id);
    struct sembuf two[2] = {{0, -1, 0}, {1, -2, 0}};
    SHOW_ERR(semop(id, two, 2));
    printf("values %d %d %d\n", getval(id, 0), getval(id, 1), getval(id, 2));
    SHOW_ERR(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
    printf("otime set: %s\n", ds.sem_otime > 0 ? "yes" : "no");
    proc_line(id);
    struct sembuf block[2] = {{2, -1, 0}, {0, -1, IPC_NOWAIT}};
    SHOW_ERR(semop(id, block, 2));
    printf("atomic (nothing done): %d %d %d\n", getval(id, 0), getval(id, 1), getval(id, 2));
    struct sembuf nowait_first[2] = {{0, -1, IPC_NOWAIT}, {2, -1, 0}};
    SHOW_ERR(semop(id, nowait_first, 2));
    SHOW_ERR(op(id, 2, 0, IPC_NOWAIT));
    SHOW_ERR(op(id, 0, 0, IPC_NOWAIT));
    SHOW_ERR(op(id, 2, 32767, 0));
    printf("after ERANGE: %d\n", getval(id, 2));
    struct sembuf dup[3] = {{2, 1, 0}, {2, 1, 0}, {2, -3, 0}};
    SHOW_ERR(semop(id, dup, 3));
    printf("duplicates: %d\n", getval(id, 2));
    SHOW_ERR(op(id, 3, 1, 0));
    SHOW_ERR(semop(id, two, 0));
    SHOW_ERR(semop(-1, two, 1));
    static struct sembuf many[501];
    SHOW_ERR(semop(id, many, 501));
    SHOW_ERR(semop(id, NULL, 1));
    SHOW_ERR(semop(id + 32768, two, 1));

    /* semtimedop */
    struct timespec ts = {0, 50 * 1000000};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    SHOW_ERR(semtimedop(id, &(struct sembuf){0, -1, 0}, 1, &ts));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    printf("waited about 50 ms: %s\n", ms >= 45 && ms < 5000 ? "yes" : "no");
    struct timespec zero = {0, 0}, bad = {0, 1000000000};
    SHOW_ERR(semtimedop(id, &(struct sembuf){0, -1, 0}, 1, &zero));
    SHOW_ERR(semtimedop(id, &(struct sembuf){0, -1, 0}, 1, &bad));
    SHOW_ERR(semtimedop(id, &(struct sembuf){0, -1, 0}, 1, (struct timespec *) 8));
    SHOW_ERR(semtimedop(id, &(struct sembuf){1, -1, 0}, 1, &ts));
    printf("values %d %d %d\n", getval(id, 0), getval(id, 1), getval(id, 2));

    /* info and stat */
    struct seminfo si;
    int max = semctl(id, 0, IPC_INFO, (union semun){.__buf = &si});
    printf("IPC_INFO >= 0: %s semvmx %d semmsl > 0: %s\n", max >= 0 ? "yes" : "no", si.semvmx, si.semmsl > 0 ? "yes" : "no");
    max = semctl(id, 0, SEM_INFO, (union semun){.__buf = &si});
    printf("SEM_INFO: max index >= ours %s, sets in use > 0 %s, semaphores >= 3 %s\n", max >= id % 32768 ? "yes" : "no",
           si.semusz > 0 ? "yes" : "no", si.semaem >= 3 ? "yes" : "no");
    SHOW_ERR(semctl(id, 0, IPC_INFO, (union semun){.__buf = (struct seminfo *) 8}));
    semctl(id, 0, IPC_INFO, (union semun){.__buf = &si});
    FILE *f = fopen("/proc/sys/kernel/sem", "r");
    int msl = -1, mns = -1, opm = -1, mni = -1;
    if (f) {
        if (fscanf(f, "%d %d %d %d", &msl, &mns, &opm, &mni) != 4) msl = -1;
        fclose(f);
    }
    printf("/proc/sys/kernel/sem as IPC_INFO: %s\n",
           msl == si.semmsl && mns == si.semmns && opm == si.semopm && mni == si.semmni ? "yes" : "no");
    printf("SEM_STAT by index gives the id: %s\n", semctl(id % 32768, 0, SEM_STAT, (union semun){.buf = &ds}) == id ? "yes" : "no");
    printf("SEM_STAT_ANY by index gives the id: %s\n", semctl(id % 32768, 0, SEM_STAT_ANY, (union semun){.buf = &ds}) == id ? "yes" : "no");
    ds.sem_perm.mode = 0640 | 01000;
    SHOW_ERR(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
    semctl(id, 0, IPC_STAT, (union semun){.buf = &ds});
    printf("mode after IPC_SET %o\n", (unsigned) ds.sem_perm.mode);
    ds.sem_perm.uid = (uid_t) -1;
    SHOW_ERR(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
    SHOW_ERR(semctl(id, 0, IPC_RMID));
    SHOW_ERR(semctl(id, 0, IPC_RMID));
    SHOW_ERR(semctl(id, 0, GETVAL));
    SHOW_ERR(op(id, 0, 1, 0));
}

static int thread_set;
static void *thread_wait(void *arg) {
    (void) arg;
    long r = op(thread_set, 0, -2, 0);
    return (void *) (r == 0 ? 1L : 0L);
}

static void on_alarm(int sig) { (void) sig; }

static void sleepers(void) {
    int id = semget(IPC_PRIVATE, 3, 0600);

    /* A child sleeps until the parent raises the value; its operation is done in its name. */
    pid_t pid = fork();
    if (pid == 0) _exit(op(id, 0, -1, 0) == 0 ? 0 : 1);
    printf("child sleeps (ncnt 1): %s\n", wait_count(id, 0, GETNCNT, 1) ? "yes" : "no");
    SHOW_RET(semctl(id, 0, GETZCNT));
    SHOW_ERR(op(id, 0, 1, 0));
    printf("child exit %d\n", reap(pid));
    printf("value %d ncnt %d, GETPID is the child: %s\n", getval(id, 0), semctl(id, 0, GETNCNT), semctl(id, 0, GETPID) == pid ? "yes" : "no");

    /* Wait for zero. */
    semctl(id, 1, SETVAL, 2);
    pid = fork();
    if (pid == 0) _exit(op(id, 1, 0, 0) == 0 ? 0 : 1);
    printf("child waits for zero (zcnt 1): %s\n", wait_count(id, 1, GETZCNT, 1) ? "yes" : "no");
    SHOW_ERR(op(id, 1, -1, 0));
    usleep(20000);
    SHOW_RET(semctl(id, 1, GETZCNT));
    SHOW_ERR(op(id, 1, -1, 0));
    printf("child exit %d\n", reap(pid));

    /* Order: a big decrement first, then a small one that can go as soon as the value allows. */
    pid = fork();
    if (pid == 0) _exit(op(id, 2, -3, 0) == 0 ? 0 : 1);
    wait_count(id, 2, GETNCNT, 1);
    SHOW_ERR(op(id, 2, 2, 0));
    usleep(20000);
    printf("value 2 still (the child needs 3): %d\n", getval(id, 2));
    SHOW_ERR(op(id, 2, 1, 0));
    printf("child exit %d, value %d\n", reap(pid), getval(id, 2));

    /* After a change, operations that wait for zero go before older ones that change values
     * (do_smart_update): the waiter for zero sees the 0 before the older sleeper raises it. */
    int z = semget(IPC_PRIVATE, 2, 0600);
    semctl(z, 0, SETVAL, 1);
    pid_t alter = fork();
    if (alter == 0) {
        struct sembuf b[2] = {{1, -1, 0}, {0, 1, 0}};
        _exit(semop(z, b, 2) == 0 ? 0 : 1);
    }
    wait_count(z, 1, GETNCNT, 1);
    pid_t zero = fork();
    if (zero == 0) _exit(semtimedop(z, &(struct sembuf){0, 0, 0}, 1, &(struct timespec){2, 0}) == 0 ? 0 : 1);
    wait_count(z, 0, GETZCNT, 1);
    struct sembuf swap[2] = {{0, -1, 0}, {1, 1, 0}};
    SHOW_ERR(semop(z, swap, 2));
    int a_exit = reap(alter), z_exit = reap(zero);
    printf("changer exit %d, zero waiter exit %d, values %d %d\n", a_exit, z_exit, getval(z, 0), getval(z, 1));
    semctl(z, 0, IPC_RMID);

    /* A thread sleeps, the main thread wakes it. */
    thread_set = id;
    semctl(id, 0, SETVAL, 0);
    pthread_t th;
    pthread_create(&th, NULL, thread_wait, NULL);
    printf("thread sleeps: %s\n", wait_count(id, 0, GETNCNT, 1) ? "yes" : "no");
    SHOW_ERR(op(id, 0, 3, 0));
    void *res;
    pthread_join(th, &res);
    printf("thread done: %s, value %d\n", res ? "yes" : "no", getval(id, 0));

    /* SEM_UNDO: the child's changes are taken back when it exits. */
    semctl(id, 0, SETVAL, 3);
    pid = fork();
    if (pid == 0) {
        op(id, 0, -1, SEM_UNDO);
        op(id, 1, 4, SEM_UNDO);
        op(id, 1, -1, SEM_UNDO);
        printf("child: values %d %d\n", getval(id, 0), getval(id, 1));
        fflush(stdout);
        _exit(0);
    }
    printf("child exit %d\n", reap(pid));
    printf("undone: %d %d, GETPID is the child: %s\n", getval(id, 0), getval(id, 1), semctl(id, 1, GETPID) == pid ? "yes" : "no");

    /* The adjustments outlive an execve: they apply when the new program exits. */
    pid = fork();
    if (pid == 0) {
        op(id, 0, 2, SEM_UNDO);
        execl("/proc/self/exe", "sysv_sem", "exit", (char *) NULL);
        _exit(99);
    }
    int exec_status = reap(pid);   /* before getval: the order of printf's arguments is unspecified */
    printf("child exit %d, value after exec and exit: %d\n", exec_status, getval(id, 0));

    /* An undo that would go below zero is clamped; SETVAL forgets the adjustment. */
    semctl(id, 0, SETVAL, 5);
    pid = fork();
    if (pid == 0) {
        op(id, 0, 4, SEM_UNDO);       /* 9, adjustment -4 */
        semctl(id, 0, SETVAL, 2);     /* the adjustment is dropped */
        op(id, 1, 2, SEM_UNDO);       /* 2, adjustment -2 */
        semctl(id, 1, SETVAL, 1);     /* dropped too */
        op(id, 2, 5, SEM_UNDO);       /* 5, adjustment -5 */
        semctl(id, 2, SETVAL, 6);     /* dropped */
        op(id, 2, 1, SEM_UNDO);       /* 7, adjustment -1 */
        _exit(0);
    }
    reap(pid);
    printf("after SETVAL and undo: %d %d %d\n", getval(id, 0), getval(id, 1), getval(id, 2));
    semctl(id, 0, SETVAL, 1);
    pid = fork();
    if (pid == 0) {
        op(id, 0, 2, SEM_UNDO);       /* 3, adjustment -2 */
        op(id, 0, -3, 0);             /* 0 */
        _exit(0);
    }
    reap(pid);
    printf("clamped at 0: %d\n", getval(id, 0));
    /* unshare(CLONE_SYSVSEM) applies the adjustments as an exit would. */
    pid = fork();
    if (pid == 0) {
        op(id, 0, 2, SEM_UNDO);
        int before = getval(id, 0);
        int r = unshare(CLONE_SYSVSEM);
        printf("child: before unshare %d, unshare %d, after %d\n", before, r, getval(id, 0));
        op(id, 0, 1, SEM_UNDO);
        fflush(stdout);
        _exit(0);
    }
    reap(pid);
    printf("after the child: %d\n", getval(id, 0));
    /* An adjustment beyond SEMAEM is ERANGE. */
    semctl(id, 0, SETVAL, 32767);
    SHOW_ERR(op(id, 0, -32767, SEM_UNDO));
    SHOW_ERR(op(id, 0, 32767, SEM_UNDO));
    SHOW_ERR(op(id, 0, 1, SEM_UNDO));
    printf("value %d\n", getval(id, 0));
    SHOW_ERR(op(id, 0, -32767, SEM_UNDO));
    semctl(id, 0, SETVAL, 0);

    /* EINTR by a signal, even with SA_RESTART. */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW_ERR(op(id, 0, -1, 0));
    SHOW_RET(semctl(id, 0, GETNCNT));
    setitimer(ITIMER_REAL, &it, NULL);
    SHOW_ERR(semtimedop(id, &(struct sembuf){0, -1, 0}, 1, &(struct timespec){5, 0}));

    /* A stop and a continue end a semop with EINTR too, with no handler (man 7 signal). */
    pid = fork();
    if (pid == 0) {
        int r = op(id, 0, -1, 0);
        printf("child: semop after SIGSTOP/SIGCONT = %d %s\n", r, errname(errno));
        fflush(stdout);
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    kill(pid, SIGSTOP);
    int st;
    waitpid(pid, &st, WUNTRACED);
    kill(pid, SIGCONT);
    printf("stopped: %s, child exit %d\n", WIFSTOPPED(st) ? "yes" : "no", reap(pid));

    /* EIDRM for sleepers when the set goes. */
    pid = fork();
    if (pid == 0) {
        int r = op(id, 0, -1, 0);
        printf("child: semop = %d %s\n", r, errname(errno));
        fflush(stdout);
        _exit(0);
    }
    wait_count(id, 0, GETNCNT, 1);
    int removed = semctl(id, 0, IPC_RMID);
    int status = reap(pid);
    printf("IPC_RMID = %d, child exit %d\n", removed, status);
}

/* As another user: mode 0 denies, IPC_SET and IPC_RMID are for the owner; root passes. */
static void permissions(void) {
    int id = semget(IPC_PRIVATE, 1, 0);
    int open_id = semget(IPC_PRIVATE, 1, 0604);
    SHOW_ERR(semctl(open_id, 0, SETVAL, 1));
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534))) _exit(9);
        printf("as a stranger:\n");
        SHOW_ERR(op(id, 0, 1, 0));
        SHOW_ERR(op(id, 0, 0, IPC_NOWAIT));
        SHOW_ERR(semctl(id, 0, GETVAL));
        SHOW_ERR(semctl(id, 0, SETVAL, 1));
        struct semid_ds ds;
        SHOW_ERR(semctl(id, 0, IPC_STAT, (union semun){.buf = &ds}));
        SHOW_ERR(semctl(id % 32768, 0, SEM_STAT, (union semun){.buf = &ds}));
        printf("SEM_STAT_ANY works: %s\n", semctl(id % 32768, 0, SEM_STAT_ANY, (union semun){.buf = &ds}) == id ? "yes" : "no");
        SHOW_RET(semctl(open_id, 0, GETVAL));
        SHOW_ERR(op(open_id, 0, 0, IPC_NOWAIT));
        SHOW_ERR(op(open_id, 0, -1, IPC_NOWAIT));
        fflush(stdout);
        _exit(0);
    }
    printf("child exit %d\n", reap(pid));
    if (geteuid() == 0) {
        pid = fork();
        if (pid == 0) {
            if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) _exit(9);
            struct semid_ds ds = {0};
            SHOW_ERR(semctl(id, 0, IPC_SET, (union semun){.buf = &ds}));
            SHOW_ERR(semctl(id, 0, IPC_RMID));
            fflush(stdout);
            _exit(0);
        }
        reap(pid);
    } else {
        printf("semctl(id, 0, IPC_SET, (union semun){.buf = &ds}) = -1 EPERM\n");
        printf("semctl(id, 0, IPC_RMID) = -1 EPERM\n");
    }
    semctl(id, 0, IPC_RMID);
    semctl(open_id, 0, IPC_RMID);
}

int main(int argc, char **argv) {
    (void) argv;
    if (argc > 1) return 0;   /* the program a SEM_UNDO child execs */
    setvbuf(stdout, NULL, _IOLBF, 0);
    keys();
    basics();
    sleepers();
    permissions();
    return 0;
}
