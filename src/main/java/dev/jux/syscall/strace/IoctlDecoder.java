package dev.jux.syscall.strace;

import static dev.jux.abi.Ioctls.*;

import dev.jux.abi.Hex;
import dev.jux.abi.Ioctls;
import dev.jux.abi.Termios;

/**
 * ioctl(2): the request by name (or its _IOC fields), and the argument as strace 6.1 shows
 * it for that request: terminal structs, an int behind a pointer ({@code [0]}), a plain
 * number, nothing at all, or for requests it does not decode a pointer (named) or hex
 * (unknown).
 */
final class IoctlDecoder {
    private IoctlDecoder() {}

    static final Decoder DECODER = Decoder.of(IoctlDecoder::args);

    private static void args(Call c, Printer p) {
        int req = (int) c.arg(1);
        long arg = c.arg(2);
        p.decimal(c.intArg(0)).add(Ioctls.render(req));
        switch (req) {
            // Requests that take no argument: strace prints none.
            case TIOCEXCL, TIOCNXCL, TIOCCONS, TIOCSSERIAL, TIOCNOTTY, TIOCSBRK, TIOCCBRK,
                 TIOCVHANGUP, FIONCLEX, FIOCLEX -> {}
            case TCGETS, TCGETA -> p.add(out(c) ? StructFormats.termios(c.mem(), arg) : Printer.pointer(arg));
            case TCSETS, TCSETSW, TCSETSF, TCSETA, TCSETAW, TCSETAF ->
                    p.add(StructFormats.termios(c.mem(), arg));
            case TIOCGWINSZ -> p.add(out(c) ? StructFormats.winsize(c.mem(), arg) : Printer.pointer(arg));
            case TIOCSWINSZ -> p.add(StructFormats.winsize(c.mem(), arg));
            // An int the kernel writes back...
            case FIONREAD, TIOCOUTQ, TIOCGPGRP, TIOCGSID, TIOCGPTN, TIOCGETD ->
                    p.add(out(c) ? StructFormats.intRef(c.mem(), arg) : Printer.pointer(arg));
            // ...or reads.
            case TIOCSPGRP, FIONBIO, TIOCSPTLCK, TIOCSETD, FIOASYNC ->
                    p.add(StructFormats.intRef(c.mem(), arg));
            case TIOCSCTTY, TCSBRK, TCSBRKP -> p.decimal((int) arg);
            case TCXONC -> p.add(Termios.renderFlow((int) arg));
            case TCFLSH -> p.add(Termios.renderFlush((int) arg));
            // Named, but strace prints the raw argument rather than a pointer.
            case FIBMAP, FIGETBSZ, TIOCLINUX, TIOCGSERIAL, TIOCGPTPEER, FIOQSIZE, TIOCSIG, TIOCGPKT,
                 TIOCGPTLCK ->
                    p.hex(arg);
            default -> p.add(Ioctls.name(req) != null ? Printer.pointer(arg) : Hex.of(arg));
        }
    }

    /** Output structs are only shown once the call has filled them. */
    private static boolean out(Call c) {
        return !c.failed();
    }
}
