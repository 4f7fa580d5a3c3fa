// Code written at run time, as a JIT writes it: a function generated into an anonymous
// mapping, made executable, called, then rewritten (through mprotect, and in place in a
// read-write-execute page) and called again; also code that patches its own immediate in a
// loop; and a hot loop patching rarely run functions. The interpreter's decoded-instruction
// cache and the JIT must see every change.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*fn)(int);

/* lea eax, [rdi + imm8]; ret */
static void emit_add(unsigned char *p, signed char k) {
    const unsigned char code[] = {0x8d, 0x47, (unsigned char)k, 0xc3};
    memcpy(p, code, sizeof code);
}

int main(void) {
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    emit_add(p, 5);
    mprotect(p, pg, PROT_READ | PROT_EXEC);
    printf("add 5: %d\n", ((fn)p)(10));
    mprotect(p, pg, PROT_READ | PROT_WRITE);
    emit_add(p, -3);
    mprotect(p, pg, PROT_READ | PROT_EXEC);
    printf("add -3: %d\n", ((fn)p)(10));

    unsigned char *w = mmap(NULL, pg, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (w == MAP_FAILED) return 1;
    int sum = 0;
    for (int k = 0; k < 50; k++) {
        emit_add(w + 100, (signed char)k);   /* rewritten in place every time, no mprotect */
        sum += ((fn)(w + 100))(1000);
    }
    printf("in place, 50 rewrites: sum %d\n", sum);
    /* a function whose body is replaced by a different instruction of another length */
    const unsigned char neg[] = {0x89, 0xf8, 0xf7, 0xd8, 0xc3}; /* mov eax, edi; neg eax; ret */
    memcpy(w + 100, neg, sizeof neg);
    printf("neg: %d\n", ((fn)(w + 100))(7));
    /* code that patches the imm32 of its own next instruction, in a loop */
    const unsigned char self[] = {
        0x31, 0xc9,                         /* xor ecx, ecx */
        0x89, 0x0d, 0x01, 0, 0, 0,          /* loop: mov [rip+1], ecx  (the imm32 of the next mov) */
        0xb8, 0, 0, 0, 0,                   /* mov eax, imm32 */
        0x01, 0xc2,                         /* add edx, eax */
        0xff, 0xc1,                         /* inc ecx */
        0x39, 0xf9,                         /* cmp ecx, edi */
        0x75, 0xed,                         /* jne loop */
        0x89, 0xd0,                         /* mov eax, edx */
        0xc3};                              /* ret */
    memcpy(w + 200, self, sizeof self);
    int r;
    __asm__ volatile("xor %%edx, %%edx\n\tcall *%1" : "=a"(r) : "r"(w + 200), "D"(10) : "rcx", "rdx", "rsi", "r8", "r9",
                     "r10", "r11", "memory", "cc");
    printf("self-patching loop 0..9: %d\n", r);
    /* A hot loop (Jux's JIT translates it) patching 16 functions of one page, each called too
     * rarely to be translated: stores of translated code must reach the decoded blocks the
     * interpreter trusts. */
    long total = 0;
    for (int k = 0; k < 20000; k++) {
        unsigned char *f = w + 300 + 8 * (k % 16);
        emit_add(f, (signed char)(k % 100));
        total += ((fn)f)(k);
    }
    printf("hot writer, 16 rarely run functions: %ld\n", total);
    return 0;
}
