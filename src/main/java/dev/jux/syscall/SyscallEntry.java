package dev.jux.syscall;

/** A row of the syscall table: number, name, handler, how complete it is and what is missing. */
public record SyscallEntry(int number, String name, SyscallHandler handler, Support support, String note) {
}
