// Locked read-modify-writes racing plain stores from other threads (issue 7: on the
// interpreter every locked instruction must be atomic against plain stores too). Two "locker"
// threads use lock add/sub/adc/sbb/and/or/xor/not/neg/inc/dec, xadd, xchg, cmpxchg,
// cmpxchg8b/16b and bts/btr/btc on words whose other bytes a "plain" thread keeps
// incrementing with ordinary loads and stores; spinlocks are taken with lock cmpxchg or xchg
// and released with a plain store; a Peterson lock uses plain stores and MFENCE. A locked
// instruction done as read-then-write would lose the plain thread's updates (or a lock
// release, and hang). Only final totals are printed.
// cflags: -pthread
#include "jux_test.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#define ROUNDS 6000

/* Each 8-byte word: the lockers' part, and the plain thread's part. */
static struct {
    uint64_t xadd;     /* low 32: lock xaddq by both lockers; high 32: plain counter */
    uint64_t alu;      /* low 32: 64-bit lock add/sub/inc/dec/adc/sbb/and/or/xor; high 32: plain */
    uint64_t fields;   /* bytes 0-1: locker 0's ALU field, 2-3: locker 1's, 4-7: plain */
    uint64_t bytes;    /* byte 0: lock incb/decb, byte 1: lock incb; bytes 4-7: plain */
    uint64_t cas;      /* low 32: 64-bit lock cmpxchg loop (+3); high 32: plain */
    uint64_t cas8b;    /* the whole word by lock cmpxchg8b (+1 low half); high 32: plain */
    uint64_t bits;     /* bit i: locker i's bts/btr; bits 8-15: btc by both; bytes 4-7: plain */
    uint64_t swap;     /* low 32: xchg tokens; high 32: plain */
    uint32_t lock_cmpxchg, lock_xchg;
    uint64_t under_cmpxchg, under_xchg; /* plain counters each guarded by one spinlock */
    uint32_t peterson_flag[2], peterson_turn;
    uint64_t under_peterson;            /* guarded by Peterson's lock: plain stores and MFENCE */
} w __attribute__((aligned(64)));

static unsigned __int128 pair __attribute__((aligned(16))); /* lock cmpxchg16b (+1 each half) */

static volatile int done;
static pthread_barrier_t start;

static void plain_inc32(void *p) {
    __asm__ volatile("movl (%0), %%eax\n\tincl %%eax\n\tmovl %%eax, (%0)" : : "r"(p) : "eax", "memory");
}

static void spin_pause(unsigned *spins) {
    __asm__ volatile("pause");
    if (++*spins % 64 == 0) sched_yield();
}

static void lock_by_cmpxchg(void) {
    unsigned spins = 0;
    for (;;) {
        uint32_t expected = 0;
        uint8_t ok;
        __asm__ volatile("lock cmpxchgl %3, %1\n\tsetz %0"
                         : "=q"(ok), "+m"(w.lock_cmpxchg), "+a"(expected) : "r"(1u) : "memory", "cc");
        if (ok) return;
        while (*(volatile uint32_t *)&w.lock_cmpxchg) spin_pause(&spins);
    }
}

static void unlock_cmpxchg(void) {
    __asm__ volatile("movl $0, %0" : "=m"(w.lock_cmpxchg) : : "memory");
}

static void lock_by_xchg(void) {
    unsigned spins = 0;
    for (;;) {
        uint32_t v = 1;
        __asm__ volatile("xchgl %0, %1" : "+r"(v), "+m"(w.lock_xchg) : : "memory");
        if (v == 0) return;
        while (*(volatile uint32_t *)&w.lock_xchg) spin_pause(&spins);
    }
}

static void unlock_xchg(void) {
    __asm__ volatile("movl $0, %0" : "=m"(w.lock_xchg) : : "memory");
}

/*
 * Peterson's lock between the two lockers: plain stores and loads only, with MFENCE between
 * the stores and the loads (the one reordering x86-TSO allows: a later load passing an
 * earlier store). Without a real fence both threads could enter.
 */
static void peterson_lock(int id) {
    unsigned spins = 0;
    __asm__ volatile("movl $1, %0\n\tmovl %2, %1\n\tmfence"
                     : "=m"(w.peterson_flag[id]), "=m"(w.peterson_turn) : "r"(1 - id) : "memory");
    while (*(volatile uint32_t *)&w.peterson_flag[1 - id] && *(volatile uint32_t *)&w.peterson_turn == (uint32_t)(1 - id))
        spin_pause(&spins);
}

static void peterson_unlock(int id) {
    __asm__ volatile("movl $0, %0" : "=m"(w.peterson_flag[id]) : : "memory");
}

struct locker_result {
    uint64_t swapped;         /* sum of the tokens this thread got back from xchg */
    int bts_found_set, btr_found_clear;
};

static void *locker(void *arg) {
    int id = (int)(intptr_t)arg;
    struct locker_result *res = calloc(1, sizeof *res);
    uint16_t *field = (uint16_t *)&w.fields + id;
    if (id == 0) __asm__ volatile("lock btcl $9, %0" : "+m"(w.bits) : : "memory", "cc"); /* odd: ends set */
    pthread_barrier_wait(&start);
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t one = 1;
        __asm__ volatile("lock xaddq %0, %1" : "+r"(one), "+m"(w.xadd) : : "memory", "cc");

        /* 64-bit operations that leave the plain thread's high half as it is: net +3. */
        __asm__ volatile(
            "lock addq $3, %0\n\t"
            "lock subq $1, %0\n\t"
            "lock incq %0\n\t"
            "lock decq %0\n\t"
            "stc\n\t"
            "lock adcq $0, %0\n\t"
            "stc\n\t"
            "lock sbbq $0, %0\n\t"
            "lock orq $0, %0\n\t"
            "lock xorq $0x1000000, %0\n\t"
            "lock xorq $0x1000000, %0\n\t"
            "lock andq %1, %0\n\t"
            "lock incq %0"
            : "+m"(w.alu) : "r"(~(uint64_t)0x80000000) : "memory", "cc");

        /* Net +2 on this locker's own 16-bit field. */
        __asm__ volatile(
            "lock addw $3, %0\n\t"
            "lock subw $1, %0\n\t"
            "lock notw %0\n\t"
            "lock notw %0\n\t"
            "lock negw %0\n\t"
            "lock negw %0\n\t"
            "lock andw $0x7fff, %0\n\t"
            "lock orw $0, %0\n\t"
            "lock xorw $0x100, %0\n\t"
            "lock xorw $0x100, %0\n\t"
            "stc\n\t"
            "lock adcw $0, %0\n\t"
            "stc\n\t"
            "lock sbbw $0, %0\n\t"
            "lock incw %0\n\t"
            "lock incw %0\n\t"
            "lock decw %0"
            : "+m"(*field) : : "memory", "cc");

        uint8_t *b = (uint8_t *)&w.bytes;
        if (id == 0) __asm__ volatile("lock incb %0\n\tlock incb %0\n\tlock decb %0" : "+m"(b[0]) : : "memory", "cc");
        else __asm__ volatile("lock incb %0" : "+m"(b[1]) : : "memory", "cc");

        uint64_t old = *(volatile uint64_t *)&w.cas;
        for (;;) {
            uint64_t seen = old;
            __asm__ volatile("lock cmpxchgq %2, %1" : "+a"(seen), "+m"(w.cas) : "r"(old + 3) : "memory", "cc");
            if (seen == old) break;
            old = seen;
        }

        uint64_t cur = *(volatile uint64_t *)&w.cas8b;
        for (;;) {
            uint32_t lo = (uint32_t)cur, hi = (uint32_t)(cur >> 32);
            uint32_t nlo = lo + 1;
            uint8_t ok;
            __asm__ volatile("lock cmpxchg8b %1\n\tsetz %0"
                             : "=q"(ok), "+m"(w.cas8b), "+a"(lo), "+d"(hi)
                             : "b"(nlo), "c"(hi) : "memory", "cc");
            if (ok) break;
            cur = ((uint64_t)hi << 32) | lo;
        }

        uint64_t lo128 = (uint64_t)pair, hi128 = (uint64_t)(pair >> 64);
        for (;;) {
            uint8_t ok;
            __asm__ volatile("lock cmpxchg16b %1\n\tsetz %0"
                             : "=q"(ok), "+m"(pair), "+a"(lo128), "+d"(hi128)
                             : "b"(lo128 + 1), "c"(hi128 + 1) : "memory", "cc");
            if (ok) break;
        }

        uint8_t was;
        __asm__ volatile("lock btsq %2, %1\n\tsetc %0" : "=q"(was), "+m"(w.bits) : "r"((uint64_t)id) : "memory", "cc");
        res->bts_found_set += was;
        __asm__ volatile("lock btrq %2, %1\n\tsetc %0" : "=q"(was), "+m"(w.bits) : "r"((uint64_t)id) : "memory", "cc");
        res->btr_found_clear += !was;
        __asm__ volatile("lock btcl $9, %0\n\tlock btsw $12, %0\n\tlock btrw $12, %0" : "+m"(w.bits) : : "memory", "cc");

        uint32_t token = (uint32_t)(id * ROUNDS + i + 1);
        __asm__ volatile("xchgl %0, %1" : "+r"(token), "+m"(w.swap) : : "memory");
        res->swapped += token;

        lock_by_cmpxchg();
        w.under_cmpxchg++;
        unlock_cmpxchg();
        lock_by_xchg();
        w.under_xchg++;
        unlock_xchg();
        peterson_lock(id);
        w.under_peterson++;
        peterson_unlock(id);
    }
    return res;
}

/* Keeps incrementing its halves with plain loads and stores until the lockers are done. */
static void *plain(void *arg) {
    (void)arg;
    uint64_t rounds = 0, locked = 0;
    pthread_barrier_wait(&start);
    while (!done) {
        for (int k = 0; k < 4; k++) {
            plain_inc32((uint32_t *)&w.xadd + 1);
            plain_inc32((uint32_t *)&w.alu + 1);
            plain_inc32((uint32_t *)&w.fields + 1);
            plain_inc32((uint32_t *)&w.bytes + 1);
            plain_inc32((uint32_t *)&w.cas + 1);
            plain_inc32((uint32_t *)&w.cas8b + 1);
            plain_inc32((uint32_t *)&w.bits + 1);
            plain_inc32((uint32_t *)&w.swap + 1);
        }
        rounds++;
        if (rounds % 8 == 0) {
            lock_by_cmpxchg();
            w.under_cmpxchg++;
            unlock_cmpxchg();
            lock_by_xchg();
            w.under_xchg++;
            unlock_xchg();
            locked++;
        }
    }
    uint64_t *res = malloc(2 * sizeof *res);
    res[0] = rounds;
    res[1] = locked;
    return res;
}

static const char *yes(int b) { return b ? "yes" : "no"; }

int main(void) {
    pthread_t lockers[2], plainer;
    pthread_barrier_init(&start, NULL, 3);
    pthread_create(&plainer, NULL, plain, NULL);
    for (int i = 0; i < 2; i++) pthread_create(&lockers[i], NULL, locker, (void *)(intptr_t)i);
    struct locker_result *r[2];
    for (int i = 0; i < 2; i++) pthread_join(lockers[i], (void **)&r[i]);
    done = 1;
    uint64_t *p;
    pthread_join(plainer, (void **)&p);
    uint32_t plain_rounds = (uint32_t)p[0] * 4;

    printf("lock xadd total: %u\n", (uint32_t)w.xadd);
    printf("64-bit lock alu total: %u\n", (uint32_t)w.alu);
    printf("locker fields: %u %u\n", (unsigned)(uint16_t)w.fields, (unsigned)(uint16_t)(w.fields >> 16));
    printf("lock inc/dec bytes: %u %u\n", (unsigned)(uint8_t)w.bytes, (unsigned)(uint8_t)(w.bytes >> 8));
    printf("lock cmpxchg total: %u\n", (uint32_t)w.cas);
    printf("lock cmpxchg8b total: %u\n", (uint32_t)w.cas8b);
    printf("lock cmpxchg16b halves: %llu %llu\n", (unsigned long long)(uint64_t)pair,
           (unsigned long long)(uint64_t)(pair >> 64));
    printf("bit word low half: %#x\n", (uint32_t)w.bits);
    printf("bts found its bit set: %d %d\n", r[0]->bts_found_set, r[1]->bts_found_set);
    printf("btr found its bit clear: %d %d\n", r[0]->btr_found_clear, r[1]->btr_found_clear);
    uint64_t tokens = (uint64_t)2 * ROUNDS * (2 * ROUNDS + 1) / 2;
    printf("xchg tokens conserved: %s\n", yes(r[0]->swapped + r[1]->swapped + (uint32_t)w.swap == tokens));
    printf("spinlocked counters == acquisitions: %s %s\n",
           yes(w.under_cmpxchg == 2 * ROUNDS + p[1]), yes(w.under_xchg == 2 * ROUNDS + p[1]));
    printf("Peterson's lock (mfence) counted: %llu\n", (unsigned long long)w.under_peterson);
    printf("plain halves kept (xadd alu fields bytes cas cas8b bits swap):");
    uint64_t *shared[] = {&w.xadd, &w.alu, &w.fields, &w.bytes, &w.cas, &w.cas8b, &w.bits, &w.swap};
    for (int i = 0; i < 8; i++) printf(" %s", yes((uint32_t)(*shared[i] >> 32) == plain_rounds));
    printf("\n");
    printf("plain thread ran alongside: %s\n", yes(plain_rounds > 0));
    return 0;
}
