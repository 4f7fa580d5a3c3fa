/* Memory benchmark: N threads (argv[1], default 200) alive at once, each having run a little
 * code, all waiting on one barrier; then all are joined. Prints "threads N" and the checksum of
 * their work. bench/interp runs it under bench/c/maxrss.c, which reports the peak resident
 * memory of the whole run: natively the program's, under qemu-user qemu's, under Jux the JVM's
 * (the kernel, every guest thread's CPU state, stack and tables). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_barrier_t all_started;
static long sums[4096];

static void *work(void *arg) {
    long id = (long) arg, s = 0;
    for (long i = 0; i < 1000; i++) s += i ^ id;
    sums[id] = s;
    pthread_barrier_wait(&all_started);
    return NULL;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200;
    if (n < 1 || n > 4096) { fprintf(stderr, "threads: 1 to 4096\n"); return 2; }
    pthread_t *t = calloc(n, sizeof *t);
    pthread_barrier_init(&all_started, NULL, n + 1);
    for (long i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, work, (void *) i) != 0) { perror("pthread_create"); return 1; }
    }
    pthread_barrier_wait(&all_started);
    long total = 0;
    for (long i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        total += sums[i];
    }
    printf("threads %ld\nchecksum %ld\n", n, total);
    return 0;
}
