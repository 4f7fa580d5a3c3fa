// PI futexes: the raw TID-word protocol (LOCK_PI on a free word, EDEADLK on self-lock, EPERM
// for an unlock by a non-owner, TRYLOCK_PI's EAGAIN setting FUTEX_WAITERS, ESRCH for a TID
// nobody has, UNLOCK_PI handing the lock to a sleeper, LOCK_PI/LOCK_PI2 timeouts,
// WAIT_REQUEUE_PI + CMP_REQUEUE_PI), then PTHREAD_PRIO_INHERIT mutexes: 8 threads stressing
// one, and robust PI mutexes whose owner dies with and without a sleeper (EOWNERDEAD).
// cflags: -pthread
// timeout: 120
#include "jux_test.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAKE 1
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define TID_MASK 0x3fffffffu

typedef _Atomic uint32_t fword;

static long futex(fword *w, int op, uint32_t val, const struct timespec *ts, fword *w2, uint32_t val3) {
    return syscall(SYS_futex, w, op, val, ts, w2, val3);
}

static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }

/* The word relative to a thread: free/owner/other plus the flag bits. */
static void show_word(const char *what, uint32_t v, pid_t owner) {
    printf("%s: %s%s%s\n", what, (v & TID_MASK) == 0 ? "free" : (v & TID_MASK) == (uint32_t)owner ? "owner" : "other",
           v & FUTEX_WAITERS ? "|WAITERS" : "", v & FUTEX_OWNER_DIED ? "|OWNER_DIED" : "");
}

static fword lockw, condw;
static pid_t main_tid;

static void *not_owner(void *arg) {
    (void)arg;
    SHOW_ERR(futex(&lockw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    show_word("after a failed trylock", lockw, main_tid);
    SHOW_ERR(futex(&lockw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    struct timespec rt = after_ms(CLOCK_REALTIME, 20), mono = after_ms(CLOCK_MONOTONIC, 20);
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, &rt, NULL, 0));
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI2, 0, &mono, NULL, 0));
    rt = after_ms(CLOCK_REALTIME, 20);
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI2 | FUTEX_CLOCK_REALTIME, 0, &rt, NULL, 0));
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, &rt, NULL, 0));
    struct timespec bad = {0, 1000000000L};
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, &bad, NULL, 0));
    return NULL;
}

static pid_t sleeper_tid;
static void *sleeper(void *arg) {
    int op = (int)(intptr_t)arg;
    sleeper_tid = tid();
    long r = futex(&lockw, op, 0, NULL, NULL, 0);
    printf("sleeper got the lock: %ld, word names it: %s\n", r, (lockw & TID_MASK) == (uint32_t)tid() ? "yes" : "no");
    show_word("sleeper sees", lockw, tid());
    printf("sleeper unlocks: %ld\n", futex(&lockw, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0));
    return NULL;
}

static void wait_for_waiters(fword *w) {
    while (!(*w & FUTEX_WAITERS)) usleep(1000);
    usleep(10000);   /* and let the sleeper get into its sleep */
}

static long requeue_ret = -1;
static void *requeue_waiter(void *arg) {
    (void)arg;
    requeue_ret = futex(&condw, FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 0, NULL, &lockw, 0);
    printf("requeue waiter returned %ld owning the lock: %s\n", requeue_ret, (lockw & TID_MASK) == (uint32_t)tid() ? "yes" : "no");
    futex(&lockw, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
    return NULL;
}

static void raw_protocol(void) {
    main_tid = tid();
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    show_word("after LOCK_PI", lockw, main_tid);
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    SHOW_ERR(futex(&lockw, FUTEX_TRYLOCK_PI, 0, NULL, NULL, 0));
    pthread_t t;
    pthread_create(&t, NULL, not_owner, NULL);
    pthread_join(t, NULL);
    SHOW_ERR(futex(&lockw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    show_word("after UNLOCK_PI", lockw, main_tid);
    SHOW_ERR(futex(&lockw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    SHOW_ERR(futex(&lockw, FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0));
    show_word("after TRYLOCK_PI", lockw, main_tid);

    /* A sleeper is handed the lock by UNLOCK_PI. */
    pthread_create(&t, NULL, sleeper, (void *)(intptr_t)(FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG));
    wait_for_waiters(&lockw);
    show_word("with a sleeper", lockw, main_tid);
    long unlocked = futex(&lockw, FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG, 0, NULL, NULL, 0);
    pthread_join(t, NULL);
    printf("main's UNLOCK_PI handed it over: %ld\n", unlocked);
    show_word("after the sleeper's unlock", lockw, main_tid);

    /* A TID nobody has. */
    lockw = 0x3ffffff0u;
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    printf("waiters bit set anyway: %s\n", lockw & FUTEX_WAITERS ? "yes" : "no");
    lockw = 0;
    SHOW_ERR(futex((fword *)8, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    SHOW_ERR(futex((fword *)((char *)&lockw + 1), FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    SHOW_ERR(futex((fword *)8, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));

    /* An owner that died (OWNER_DIED, no TID): the next locker takes it over, keeping the bit. */
    lockw = FUTEX_OWNER_DIED;
    SHOW_ERR(futex(&lockw, FUTEX_LOCK_PI, 0, NULL, NULL, 0));
    show_word("taken over", lockw, main_tid);
    SHOW_ERR(futex(&lockw, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0));
    show_word("released", lockw, main_tid);

    /* WAIT_REQUEUE_PI and CMP_REQUEUE_PI. */
    SHOW_ERR(futex(&condw, FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 1, NULL, &lockw, 0));
    SHOW_ERR(futex(&condw, FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 0, NULL, &condw, 0));
    struct timespec mono = after_ms(CLOCK_MONOTONIC, 20);
    SHOW_ERR(futex(&condw, FUTEX_WAIT_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 0, &mono, &lockw, 0));
    SHOW_ERR(futex(&condw, FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 2, (void *)1, &lockw, 0));
    SHOW_ERR(futex(&condw, FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 1, (void *)1, &condw, 0));
    SHOW_ERR(futex(&condw, FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 1, (void *)1, &lockw, 5));
    SHOW_RET(futex(&condw, FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 1, (void *)1, &lockw, 0));
    pthread_create(&t, NULL, requeue_waiter, NULL);
    long moved;
    long waked;
    /* Until the waiter sleeps, FUTEX_WAKE finds nobody (0); then it is EINVAL. */
    while ((waked = futex(&condw, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0)) == 0) usleep(1000);
    printf("FUTEX_WAKE on a WAIT_REQUEUE_PI sleeper: %s\n", waked < 0 ? errname(errno) : "woke it");
    while ((moved = futex(&condw, FUTEX_CMP_REQUEUE_PI | FUTEX_PRIVATE_FLAG, 1, (void *)1, &lockw, 0)) == 0) usleep(1000);
    pthread_join(t, NULL);
    printf("CMP_REQUEUE_PI woke: %ld\n", moved);
    show_word("after the requeue", lockw, main_tid);
}

/* --- pthread PI mutexes --- */

#define THREADS 8
#define ROUNDS 3000
static pthread_mutex_t pi;
static long counter;

static void *stress(void *arg) {
    (void)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&pi);
        long c = counter;
        if (i % 97 == 0) sched_yield();
        counter = c + 1;
        pthread_mutex_unlock(&pi);
    }
    return NULL;
}

static pthread_mutex_t robust;
static _Atomic int owner_ready;
static void *die_holding(void *arg) {
    int linger_ms = (int)(intptr_t)arg;
    printf("owner locks: %s\n", errname(pthread_mutex_lock(&robust)));
    owner_ready = 1;
    usleep(linger_ms * 1000);
    return NULL;   /* dies holding it */
}

static void robust_case(int with_sleeper) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &a);
    owner_ready = 0;
    pthread_t t;
    pthread_create(&t, NULL, die_holding, (void *)(intptr_t)(with_sleeper ? 200 : 0));
    if (with_sleeper) {
        while (!owner_ready) usleep(1000);
    } else {
        pthread_join(t, NULL);
    }
    int e = pthread_mutex_lock(&robust);   /* with_sleeper: sleeps until the owner dies */
    printf("lock after the owner died%s: %s\n", with_sleeper ? " (slept for it)" : "", errname(e));
    if (e == EOWNERDEAD) printf("consistent: %s\n", errname(pthread_mutex_consistent(&robust)));
    printf("unlock: %s\n", errname(pthread_mutex_unlock(&robust)));
    printf("lock again: %s\n", errname(pthread_mutex_lock(&robust)));
    printf("trylock by the owner: %s\n", errname(pthread_mutex_trylock(&robust)));
    printf("unlock: %s\n", errname(pthread_mutex_unlock(&robust)));
    if (with_sleeper) pthread_join(t, NULL);
    pthread_mutex_destroy(&robust);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    raw_protocol();

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    printf("setprotocol PRIO_INHERIT: %s\n", errname(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT)));
    pthread_mutex_init(&pi, &a);
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, stress, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("counter: %ld (expected %d)\n", counter, THREADS * ROUNDS);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t ec;
    pthread_mutex_init(&ec, &a);
    printf("errorcheck PI lock: %s\n", errname(pthread_mutex_lock(&ec)));
    printf("relock: %s\n", errname(pthread_mutex_lock(&ec)));
    printf("unlock: %s\n", errname(pthread_mutex_unlock(&ec)));
    printf("unlock again: %s\n", errname(pthread_mutex_unlock(&ec)));

    robust_case(0);
    robust_case(1);
    return 0;
}
