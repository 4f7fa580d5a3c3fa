package dev.jux.syscall.strace;

import java.util.function.BiConsumer;
import java.util.function.Function;

/** How to print one system call: its arguments, and its result. */
record Decoder(BiConsumer<Call, Printer> args, Function<Call, String> result) {
    /** A call whose result is printed in decimal (or as an error). */
    static Decoder of(BiConsumer<Call, Printer> args) {
        return new Decoder(args, Results::decimal);
    }

    static Decoder of(BiConsumer<Call, Printer> args, Function<Call, String> result) {
        return new Decoder(args, result);
    }
}
