/* No libc, no SSE: write(1, msg, len) and exit_group(7) by raw system calls. The interpreter
 * platform's end-to-end test runs it with `jux run --platform interp` (InterpRunTest). */
        .globl _start
        .text
_start:
        mov     $1, %eax                /* write */
        mov     $1, %edi
        lea     msg(%rip), %rsi
        mov     $len, %edx
        syscall
        mov     $231, %eax              /* exit_group */
        mov     $7, %edi
        syscall
        hlt

        .section .rodata
msg:    .ascii  "hello from the interpreter\n"
        .set    len, . - msg
        .section .note.GNU-stack, "", @progbits
