package dev.jux.abi;

/**
 * Linux error numbers as the x86-64 kernel returns them ({@code -errno} in RAX).
 *
 * <p>One constant per number: EWOULDBLOCK is {@link #EAGAIN} and EDEADLOCK is {@link #EDEADLK},
 * as in {@code <asm-generic/errno.h>}. Numbers 41 and 58 were never assigned. The constants
 * from {@link #ERESTARTSYS} on are kernel-internal ({@code include/linux/errno.h}): a system call
 * may return them inside the kernel, user space never sees them (the restart codes turn into
 * EINTR or a restart when a signal is delivered), but a tracer does, so Jux keeps them here.
 *
 * <p>Messages are glibc's {@code strerror()} text, which is what strace prints in
 * {@code = -1 ENOENT (No such file or directory)}; for the restart codes they are strace's own.
 * Generated in part by tools/gen-errno.py.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENXIO(6, "No such device or address"),
    E2BIG(7, "Argument list too long"),
    ENOEXEC(8, "Exec format error"),
    EBADF(9, "Bad file descriptor"),
    ECHILD(10, "No child processes"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    ENOTBLK(15, "Block device required"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    EXDEV(18, "Invalid cross-device link"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENFILE(23, "Too many open files in system"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    ETXTBSY(26, "Text file busy"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    ESPIPE(29, "Illegal seek"),
    EROFS(30, "Read-only file system"),
    EMLINK(31, "Too many links"),
    EPIPE(32, "Broken pipe"),
    EDOM(33, "Numerical argument out of domain"),
    ERANGE(34, "Numerical result out of range"),
    EDEADLK(35, "Resource deadlock avoided"),
    ENAMETOOLONG(36, "File name too long"),
    ENOLCK(37, "No locks available"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    ELOOP(40, "Too many levels of symbolic links"),
    ENOMSG(42, "No message of desired type"),
    EIDRM(43, "Identifier removed"),
    ECHRNG(44, "Channel number out of range"),
    EL2NSYNC(45, "Level 2 not synchronized"),
    EL3HLT(46, "Level 3 halted"),
    EL3RST(47, "Level 3 reset"),
    ELNRNG(48, "Link number out of range"),
    EUNATCH(49, "Protocol driver not attached"),
    ENOCSI(50, "No CSI structure available"),
    EL2HLT(51, "Level 2 halted"),
    EBADE(52, "Invalid exchange"),
    EBADR(53, "Invalid request descriptor"),
    EXFULL(54, "Exchange full"),
    ENOANO(55, "No anode"),
    EBADRQC(56, "Invalid request code"),
    EBADSLT(57, "Invalid slot"),
    EBFONT(59, "Bad font file format"),
    ENOSTR(60, "Device not a stream"),
    ENODATA(61, "No data available"),
    ETIME(62, "Timer expired"),
    ENOSR(63, "Out of streams resources"),
    ENONET(64, "Machine is not on the network"),
    ENOPKG(65, "Package not installed"),
    EREMOTE(66, "Object is remote"),
    ENOLINK(67, "Link has been severed"),
    EADV(68, "Advertise error"),
    ESRMNT(69, "Srmount error"),
    ECOMM(70, "Communication error on send"),
    EPROTO(71, "Protocol error"),
    EMULTIHOP(72, "Multihop attempted"),
    EDOTDOT(73, "RFS specific error"),
    EBADMSG(74, "Bad message"),
    EOVERFLOW(75, "Value too large for defined data type"),
    ENOTUNIQ(76, "Name not unique on network"),
    EBADFD(77, "File descriptor in bad state"),
    EREMCHG(78, "Remote address changed"),
    ELIBACC(79, "Can not access a needed shared library"),
    ELIBBAD(80, "Accessing a corrupted shared library"),
    ELIBSCN(81, ".lib section in a.out corrupted"),
    ELIBMAX(82, "Attempting to link in too many shared libraries"),
    ELIBEXEC(83, "Cannot exec a shared library directly"),
    EILSEQ(84, "Invalid or incomplete multibyte or wide character"),
    ERESTART(85, "Interrupted system call should be restarted"),
    ESTRPIPE(86, "Streams pipe error"),
    EUSERS(87, "Too many users"),
    ENOTSOCK(88, "Socket operation on non-socket"),
    EDESTADDRREQ(89, "Destination address required"),
    EMSGSIZE(90, "Message too long"),
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    ENOPROTOOPT(92, "Protocol not available"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    ESOCKTNOSUPPORT(94, "Socket type not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EPFNOSUPPORT(96, "Protocol family not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ENETRESET(102, "Network dropped connection on reset"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOBUFS(105, "No buffer space available"),
    EISCONN(106, "Transport endpoint is already connected"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    ETOOMANYREFS(109, "Too many references: cannot splice"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTDOWN(112, "Host is down"),
    EHOSTUNREACH(113, "No route to host"),
    EALREADY(114, "Operation already in progress"),
    EINPROGRESS(115, "Operation now in progress"),
    ESTALE(116, "Stale file handle"),
    EUCLEAN(117, "Structure needs cleaning"),
    ENOTNAM(118, "Not a XENIX named type file"),
    ENAVAIL(119, "No XENIX semaphores available"),
    EISNAM(120, "Is a named type file"),
    EREMOTEIO(121, "Remote I/O error"),
    EDQUOT(122, "Disk quota exceeded"),
    ENOMEDIUM(123, "No medium found"),
    EMEDIUMTYPE(124, "Wrong medium type"),
    ECANCELED(125, "Operation canceled"),
    ENOKEY(126, "Required key not available"),
    EKEYEXPIRED(127, "Key has expired"),
    EKEYREVOKED(128, "Key has been revoked"),
    EKEYREJECTED(129, "Key was rejected by service"),
    EOWNERDEAD(130, "Owner died"),
    ENOTRECOVERABLE(131, "State not recoverable"),
    ERFKILL(132, "Operation not possible due to RF-kill"),
    EHWPOISON(133, "Memory page has hardware error"),

    // Kernel-internal codes (include/linux/errno.h). strace prints the restart codes as
    // "= ? ERESTARTSYS (To be restarted if SA_RESTART is set)" and the others with glibc's text.
    ERESTARTSYS(512, "To be restarted if SA_RESTART is set"),
    ERESTARTNOINTR(513, "To be restarted"),
    ERESTARTNOHAND(514, "To be restarted if no handler"),
    ENOIOCTLCMD(515, "Unknown error 515"),
    ERESTART_RESTARTBLOCK(516, "Interrupted by signal"),
    EPROBE_DEFER(517, "Unknown error 517"),
    EOPENSTALE(518, "Unknown error 518"),
    ENOPARAM(519, "Unknown error 519"),
    EBADHANDLE(521, "Unknown error 521"),
    ENOTSYNC(522, "Unknown error 522"),
    EBADCOOKIE(523, "Unknown error 523"),
    ENOTSUPP(524, "Unknown error 524"),
    ETOOSMALL(525, "Unknown error 525"),
    ESERVERFAULT(526, "Unknown error 526"),
    EBADTYPE(527, "Unknown error 527"),
    EJUKEBOX(528, "Unknown error 528"),
    EIOCBQUEUED(529, "Unknown error 529"),
    ERECALLCONFLICT(530, "Unknown error 530");

    /** Linux's MAX_ERRNO: a raw syscall result in [-4095, -1] is an error. */
    public static final int MAX_ERRNO = 4095;

    private static final Errno[] BY_NUMBER = new Errno[ERECALLCONFLICT.number + 1];

    static {
        for (Errno e : values()) BY_NUMBER[e.number] = e;
    }

    private final int number;
    private final String message;

    Errno(int number, String message) {
        this.number = number;
        this.message = message;
    }

    public int number() {
        return number;
    }

    /** strerror()'s text for this error, e.g. "No such file or directory". */
    public String message() {
        return message;
    }

    /** True for the codes that never reach user space (512 and above). */
    public boolean isKernelInternal() {
        return number >= ERESTARTSYS.number;
    }

    /**
     * True for the four codes that ask for a restart when a signal interrupts a call; the
     * kernel turns them into EINTR or re-executes the call depending on the handler.
     */
    public boolean isRestart() {
        return this == ERESTARTSYS || this == ERESTARTNOINTR || this == ERESTARTNOHAND
                || this == ERESTART_RESTARTBLOCK;
    }

    /** The error with this number, or null if Linux defines none (41, 58, 134..511, ...). */
    public static Errno of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** True if a raw syscall return value encodes an error ({@code -4095 <= result <= -1}). */
    public static boolean isError(long result) {
        return result < 0 && result >= -MAX_ERRNO;
    }
}
