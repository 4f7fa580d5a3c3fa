/*
 * Runs x86-64 instruction bytes natively, for the interpreter's instruction tests.
 * Each stdin line: HEXBYTES FLAGS R0..R15 [MXCSR X0LO X0HI .. X15LO X15HI] (hex; registers in
 * encoding order rax rcx rdx rbx rsp rbp rsi rdi r8..r15; without the optional part MXCSR is
 * 0x1f80 and every XMM register zero). The bytes run at CODE_BASE with every register, the
 * status flags, MXCSR and XMM loaded and the x87 initialised (FNINIT), and DATA_BASE filled
 * with a known pattern. Each stdout line: SIGNAL RIP RFLAGS R0..R15 DATAHASH FXSAVE (hex; the
 * last is the first 416 bytes of the FXSAVE image after the bytes ran), SIGNAL 0 if the bytes
 * ran to their end.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define CODE_BASE 0x20000000UL
#define DATA_BASE 0x10000000UL
#define DATA_SIZE 8192

struct state { uint64_t r[16]; uint64_t flags; };
struct state st;
uint32_t st_mxcsr, default_mxcsr = 0x1f80;
uint64_t st_x[32] __attribute__((aligned(16)));
uint8_t fxbuf[512] __attribute__((aligned(16)));
uint64_t saved_rsp, code_ptr;
void run_case(void);
extern char back[], restore[];

asm(".text\n"
    ".globl run_case\nrun_case:\n"
    "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
    "mov %rsp, saved_rsp(%rip)\n"
    /* Zero all eight physical x87 registers (FNINIT alone leaves their old contents), as the
       interpreter starts, so FXSAVE images compare byte for byte. */
    "fninit\nfldz\nfldz\nfldz\nfldz\nfldz\nfldz\nfldz\nfldz\nfninit\n"
    "ldmxcsr st_mxcsr(%rip)\n"
    "movdqu st_x+0(%rip),%xmm0\n""movdqu st_x+16(%rip),%xmm1\n""movdqu st_x+32(%rip),%xmm2\n""movdqu st_x+48(%rip),%xmm3\n""movdqu st_x+64(%rip),%xmm4\n""movdqu st_x+80(%rip),%xmm5\n""movdqu st_x+96(%rip),%xmm6\n""movdqu st_x+112(%rip),%xmm7\n""movdqu st_x+128(%rip),%xmm8\n""movdqu st_x+144(%rip),%xmm9\n""movdqu st_x+160(%rip),%xmm10\n""movdqu st_x+176(%rip),%xmm11\n""movdqu st_x+192(%rip),%xmm12\n""movdqu st_x+208(%rip),%xmm13\n""movdqu st_x+224(%rip),%xmm14\n""movdqu st_x+240(%rip),%xmm15\n"
    "pushq st+128(%rip)\npopfq\n"
    "mov st+0(%rip),%rax\nmov st+8(%rip),%rcx\nmov st+16(%rip),%rdx\nmov st+24(%rip),%rbx\n"
    "mov st+40(%rip),%rbp\nmov st+48(%rip),%rsi\nmov st+56(%rip),%rdi\n"
    "mov st+64(%rip),%r8\nmov st+72(%rip),%r9\nmov st+80(%rip),%r10\nmov st+88(%rip),%r11\n"
    "mov st+96(%rip),%r12\nmov st+104(%rip),%r13\nmov st+112(%rip),%r14\nmov st+120(%rip),%r15\n"
    "mov st+32(%rip),%rsp\n"
    "jmp *code_ptr(%rip)\n"
    ".globl back\nback:\n"
    "mov %rax,st+0(%rip)\nmov %rcx,st+8(%rip)\nmov %rdx,st+16(%rip)\nmov %rbx,st+24(%rip)\n"
    "mov %rsp,st+32(%rip)\nmov %rbp,st+40(%rip)\nmov %rsi,st+48(%rip)\nmov %rdi,st+56(%rip)\n"
    "mov %r8,st+64(%rip)\nmov %r9,st+72(%rip)\nmov %r10,st+80(%rip)\nmov %r11,st+88(%rip)\n"
    "mov %r12,st+96(%rip)\nmov %r13,st+104(%rip)\nmov %r14,st+112(%rip)\nmov %r15,st+120(%rip)\n"
    "mov saved_rsp(%rip),%rsp\n"  /* mov leaves the flags alone */
    "pushfq\npopq st+128(%rip)\n"
    "fxsave fxbuf(%rip)\n"
    ".globl restore\nrestore:\n"
    "mov saved_rsp(%rip),%rsp\ncld\n"
    "fninit\nldmxcsr default_mxcsr(%rip)\n"
    "pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\nret\n");

static volatile int fault_sig;
static uint64_t fault_rip;

/* The registers at the fault, then resume at restore, which returns from run_case. */
static void on_fault(int sig, siginfo_t *si, void *ctx) {
    (void) si;
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    static const int order[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI,
            REG_RDI, REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
    for (int i = 0; i < 16; i++) st.r[i] = g[order[i]];
    st.flags = g[REG_EFL];
    fault_sig = sig;
    fault_rip = g[REG_RIP];
    memcpy(fxbuf, uc->uc_mcontext.fpregs, 512);
    g[REG_RIP] = (greg_t) restore;
}

static void fill_data(uint8_t *d) {
    for (int i = 0; i < DATA_SIZE; i++) d[i] = (uint8_t) (i * 131 + 7);
}

static uint64_t hash(const uint8_t *d) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < DATA_SIZE; i++) h = (h ^ d[i]) * 0x100000001b3ULL;
    return h;
}

int main(void) {
    uint8_t *code = mmap((void *) CODE_BASE, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    uint8_t *data = mmap((void *) DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE,
            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (code != (void *) CODE_BASE || data != (void *) DATA_BASE) { perror("mmap"); return 2; }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    /* The handler runs on its own stack, so a fault leaves the data area (and the test's
       stack, which lives there) as the instruction left it. */
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    int sigs[] = {SIGFPE, SIGSEGV, SIGILL, SIGTRAP, SIGBUS};
    for (int i = 0; i < 5; i++) sigaction(sigs[i], &sa, NULL);
    code_ptr = CODE_BASE;

    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *p = line, *end;
        char *hex = strtok_r(p, " \n", &end);
        if (!hex) continue;
        size_t n = strlen(hex) / 2;
        for (size_t i = 0; i < n; i++) {
            unsigned b;
            sscanf(hex + 2 * i, "%2x", &b);
            code[i] = (uint8_t) b;
        }
        code[n] = 0xff; code[n + 1] = 0x25; /* jmp *0(%rip): back to the harness */
        memset(code + n + 2, 0, 4);
        uint64_t target = (uint64_t) back;
        memcpy(code + n + 6, &target, 8);
        st.flags = strtoull(strtok_r(NULL, " \n", &end), NULL, 16);
        for (int i = 0; i < 16; i++) st.r[i] = strtoull(strtok_r(NULL, " \n", &end), NULL, 16);
        char *ext = strtok_r(NULL, " \n", &end);
        st_mxcsr = ext ? (uint32_t) strtoul(ext, NULL, 16) : 0x1f80;
        for (int i = 0; i < 32; i++) {
            char *w = ext ? strtok_r(NULL, " \n", &end) : NULL;
            st_x[i] = w ? strtoull(w, NULL, 16) : 0;
        }
        fill_data(data);
        fault_sig = 0;
        run_case();
        uint64_t rip = fault_sig ? fault_rip : CODE_BASE + n;
        printf("%x %lx %lx", fault_sig, rip, st.flags);
        for (int i = 0; i < 16; i++) printf(" %lx", st.r[i]);
        printf(" %lx ", hash(data));
        for (int i = 0; i < 416; i++) printf("%02x", fxbuf[i]);
        printf("\n");
    }
    return 0;
}
