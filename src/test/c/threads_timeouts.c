// Timed waits of the thread library end with ETIMEDOUT when nobody comes, and succeed when
// someone does in time: pthread_mutex_timedlock, pthread_cond_timedwait (CLOCK_REALTIME) and
// with a CLOCK_MONOTONIC condattr, sem_timedwait, pthread_rwlock_timedwrlock/timedrdlock;
// an already-expired deadline; EINVAL for a bad tv_nsec.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, held = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c_rt = PTHREAD_COND_INITIALIZER, c_mono;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t sem;
static int ready;

static void *holder(void *arg) {
    (void)arg;
    pthread_mutex_lock(&held);
    pthread_rwlock_wrlock(&rw);
    pthread_mutex_lock(&m);
    ready = 1;
    pthread_cond_broadcast(&c_rt);
    while (ready != 2) pthread_cond_wait(&c_rt, &m);
    pthread_mutex_unlock(&m);
    pthread_rwlock_unlock(&rw);
    pthread_mutex_unlock(&held);
    return NULL;
}

static void *signaller(void *arg) {
    (void)arg;
    usleep(20000);
    pthread_mutex_lock(&m);
    ready = 3;
    pthread_cond_signal(&c_mono);
    pthread_mutex_unlock(&m);
    sem_post(&sem);
    return NULL;
}

int main(void) {
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c_mono, &ca);
    sem_init(&sem, 0, 0);

    pthread_t h;
    pthread_create(&h, NULL, holder, NULL);
    pthread_mutex_lock(&m);
    while (!ready) pthread_cond_wait(&c_rt, &m);
    pthread_mutex_unlock(&m);

    struct timespec ts = after_ms(CLOCK_REALTIME, 30);
    printf("timedlock on a held mutex: %s\n", errname(pthread_mutex_timedlock(&held, &ts)));
    ts = after_ms(CLOCK_REALTIME, 30);
    printf("timedwrlock on a held rwlock: %s\n", errname(pthread_rwlock_timedwrlock(&rw, &ts)));
    ts = after_ms(CLOCK_REALTIME, 30);
    printf("timedrdlock on a held rwlock: %s\n", errname(pthread_rwlock_timedrdlock(&rw, &ts)));
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec -= 1;
    printf("timedlock with a past deadline: %s\n", errname(pthread_mutex_timedlock(&held, &ts)));
    struct timespec bad = {0, 2000000000L};
    printf("timedlock with a bad tv_nsec: %s\n", errname(pthread_mutex_timedlock(&held, &bad)));

    pthread_mutex_lock(&m);
    ts = after_ms(CLOCK_REALTIME, 30);
    printf("cond_timedwait (realtime), nobody signals: %s\n", errname(pthread_cond_timedwait(&c_rt, &m, &ts)));
    ts = after_ms(CLOCK_MONOTONIC, 30);
    printf("cond_timedwait (monotonic), nobody signals: %s\n", errname(pthread_cond_timedwait(&c_mono, &m, &ts)));
    printf("mutex held again after the timeout: %s\n", errname(pthread_mutex_trylock(&m)));
    ready = 2;
    pthread_cond_broadcast(&c_rt);
    pthread_mutex_unlock(&m);
    pthread_join(h, NULL);

    ts = after_ms(CLOCK_REALTIME, 30);
    errno = 0;
    int r = sem_timedwait(&sem, &ts);
    printf("sem_timedwait, nobody posts: %d %s\n", r, errname(errno));

    pthread_t s;
    pthread_create(&s, NULL, signaller, NULL);
    pthread_mutex_lock(&m);
    int e = 0;
    ts = after_ms(CLOCK_MONOTONIC, 10000);
    while (ready != 3 && e == 0) e = pthread_cond_timedwait(&c_mono, &m, &ts);
    printf("cond_timedwait signalled in time: %s, ready %d\n", errname(e), ready);
    pthread_mutex_unlock(&m);
    ts = after_ms(CLOCK_REALTIME, 10000);
    printf("sem_timedwait posted in time: %d\n", sem_timedwait(&sem, &ts));
    pthread_join(s, NULL);
    ts = after_ms(CLOCK_REALTIME, 10000);
    printf("timedlock on a free mutex: %s\n", errname(pthread_mutex_timedlock(&held, &ts)));
    return 0;
}
