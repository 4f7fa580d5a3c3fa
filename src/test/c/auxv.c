// The initial process state the ELF loader builds: the auxiliary vector, the program headers
// it points at, and the layout and alignment of the initial stack.
// args: an-argument
// env: X=1 Y=2
#include "jux_test.h"
#include <cpuid.h>
#include <elf.h>
#include <stdint.h>
#include <sys/auxv.h>

extern const Elf64_Ehdr __ehdr_start;   /* the linker's symbol for our own ELF header */
extern char _start[];                   /* the entry point, from crt1.o / rcrt1.o */

int main(int argc, char **argv, char **envp) {
    /* Linux starts the process with rsp pointing at argc, 16-byte aligned; argv follows. */
    long *sp = (long *)argv - 1;
    CHECK(((uintptr_t)sp & 15) == 0);
    CHECK(*sp == argc);

    char **e = envp;
    while (*e) e++;
    Elf64_auxv_t *auxv = (Elf64_auxv_t *)(e + 1);
    int walked_ok = 1, saw_null = 0;
    unsigned long hwcap = 0;
    Elf64_auxv_t *a = auxv;
    for (; a < auxv + 64; a++) {
        if (a->a_type == AT_NULL) { saw_null = 1; break; }
        /* glibc replaces AT_HWCAP/AT_HWCAP2 with its own bits in getauxval. */
        if (a->a_type == AT_HWCAP) hwcap = a->a_un.a_val;
        else if (a->a_type != AT_HWCAP2 && getauxval(a->a_type) != a->a_un.a_val) walked_ok = 0;
    }
    printf("auxv follows envp and ends with AT_NULL: %s\n", saw_null ? "true" : "false");
    printf("getauxval agrees with the auxv on the stack: %s\n", walked_ok ? "true" : "false");

    /* Linux copies the argument and environment strings contiguously above the vectors. */
    int contiguous = 1;
    char *next = argv[0];
    for (int i = 0; i < argc; i++) {
        if (argv[i] != next) contiguous = 0;
        next = argv[i] + strlen(argv[i]) + 1;
    }
    for (char **p = envp; *p; p++) {
        if (*p != next) contiguous = 0;
        next = *p + strlen(*p) + 1;
    }
    printf("argv and envp strings contiguous: %s\n", contiguous ? "true" : "false");
    CHECK((char *)(a + 1) <= argv[0]);

    printf("AT_PAGESZ = %lu\n", getauxval(AT_PAGESZ));
    printf("AT_CLKTCK = %lu\n", getauxval(AT_CLKTCK));
    printf("AT_SECURE = %lu\n", getauxval(AT_SECURE));
    printf("AT_BASE = %lu\n", getauxval(AT_BASE));
    printf("AT_UID = %lu, AT_EUID = %lu, AT_GID = %lu, AT_EGID = %lu\n", getauxval(AT_UID),
           getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID));
    CHECK(getauxval(AT_UID) == getuid());
    CHECK(getauxval(AT_EUID) == geteuid());
    CHECK(getauxval(AT_GID) == getgid());
    CHECK(getauxval(AT_EGID) == getegid());

    printf("AT_PHENT = %lu\n", getauxval(AT_PHENT));
    CHECK(getauxval(AT_PHENT) == sizeof(Elf64_Phdr));
    CHECK(getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
    const Elf64_Phdr *phdr = (const Elf64_Phdr *)getauxval(AT_PHDR);
    CHECK(phdr == (const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff));
    CHECK(getauxval(AT_ENTRY) == (unsigned long)_start);

    /* The program headers at AT_PHDR describe this very image: some executable PT_LOAD
     * segment, placed at the load bias, contains _start. */
    uintptr_t bias = (uintptr_t)&__ehdr_start;
    for (unsigned i = 0; i < getauxval(AT_PHNUM); i++) {
        if (phdr[i].p_type == PT_LOAD && phdr[i].p_offset == 0) { bias -= phdr[i].p_vaddr; break; }
    }
    int entry_in_text = 0;
    for (unsigned i = 0; i < getauxval(AT_PHNUM); i++) {
        uintptr_t start = bias + phdr[i].p_vaddr;
        if (phdr[i].p_type == PT_LOAD && (phdr[i].p_flags & PF_X) && (uintptr_t)_start >= start
            && (uintptr_t)_start < start + phdr[i].p_memsz) entry_in_text = 1;
    }
    printf("AT_PHDR has an executable PT_LOAD holding _start: %s\n", entry_in_text ? "true" : "false");

    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    CHECK(rnd != NULL);
    int nonzero = 0;
    for (int i = 0; rnd && i < 16; i++) nonzero |= rnd[i];
    printf("AT_RANDOM's 16 bytes are not all zero: %s\n", nonzero ? "true" : "false");

    const char *platform = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM = '%s'\n", platform ? platform : "(null)");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    CHECK(execfn != NULL && strcmp(execfn, argv[0]) == 0);
    /* Linux's AT_HWCAP on x86 is CPUID leaf 1's EDX, as the process itself sees it. */
    unsigned eax, ebx, ecx, edx;
    __get_cpuid(1, &eax, &ebx, &ecx, &edx);
    CHECK(hwcap != 0);
    CHECK(hwcap == edx);
    return 0;
}
