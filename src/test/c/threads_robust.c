// A robust mutex whose owner thread dies while holding it: the next locker gets EOWNERDEAD,
// makes it consistent, and the mutex works again.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>

static pthread_mutex_t m;

static void *owner(void *arg) {
    (void)arg;
    pthread_mutex_lock(&m);
    return NULL;   /* dies holding it */
}

int main(void) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&m, &a);
    pthread_t t;
    pthread_create(&t, NULL, owner, NULL);
    pthread_join(t, NULL);
    int e = pthread_mutex_lock(&m);
    printf("lock after the owner died: %s\n", errname(e));
    if (e == EOWNERDEAD) printf("consistent: %s\n", errname(pthread_mutex_consistent(&m)));
    printf("unlock: %s\n", errname(pthread_mutex_unlock(&m)));
    printf("lock again: %s\n", errname(pthread_mutex_lock(&m)));
    printf("unlock: %s\n", errname(pthread_mutex_unlock(&m)));
    return 0;
}
