package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Rlimit;
import dev.jux.abi.Signal;
import dev.jux.abi.SyscallNumbers;
import dev.jux.fs.FdTable;
import dev.jux.fs.File;
import dev.jux.fs.socket.Caller;
import dev.jux.fs.socket.InetSocket;
import dev.jux.fs.socket.NetlinkSocket;
import dev.jux.fs.socket.TcpSocket;
import dev.jux.fs.socket.Received;
import dev.jux.fs.socket.SocketOptions;
import dev.jux.fs.socket.Ucred;
import dev.jux.fs.socket.UnixAddress;
import dev.jux.fs.socket.UnixSocket;
import dev.jux.fs.vfs.Location;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The socket system calls (net/socket.c's argument handling) over fs/socket's AF_UNIX
 * sockets and its AF_INET/AF_INET6 ones on the loopback network: addresses and msghdrs are
 * read and written here, control messages (SCM_RIGHTS, SCM_CREDENTIALS) encoded and decoded
 * here (net/core/scm.c); the sockets do the rest. AF_NETLINK (NETLINK_ROUTE) is NetlinkSocket;
 * other address families are EAFNOSUPPORT.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, NPROTO = 46, SOCK_MAX = 11, SOCK_TYPE_MASK = 0xf;
    static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK, SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
    static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2, SCM_MAX_FD = 253;
    static final int MSG_WAITFORONE = 0x10000;
    /** sizeof(struct sockaddr_storage): the most of an address the kernel copies in. */
    static final int MAX_ADDRESS = 128;
    static final int CMSG_HDR = 16, MSGHDR = 56, MMSGHDR = 64;
    private static final long BOUNCE_MAX = 16L << 20;
    private static final String FAMILIES = "AF_UNIX; AF_INET and AF_INET6 on Jux's own loopback network (127.0.0.0/8, ::1; TCP and UDP; SOCK_RAW EPROTONOSUPPORT/EPERM), nothing reaches the host's network; AF_NETLINK with NETLINK_ROUTE (SOCK_RAW, SOCK_DGRAM) describing lo (other netlink protocols EPROTONOSUPPORT); the other families are EAFNOSUPPORT";

    static void register(SyscallTable t) {
        UnixSocket.setCallers(w -> w instanceof Task task ? caller(task) : new Caller(0, 0, 0, 0, 0));
        t.add(SyscallNumbers.SOCKET, Support.PARTIAL, FAMILIES + "; SOCK_STREAM, SOCK_DGRAM (and SOCK_RAW as it), SOCK_SEQPACKET",
                (task, a) -> socket(task, a.i(0), a.i(1), a.i(2)));
        t.add(SyscallNumbers.SOCKETPAIR, Support.PARTIAL, "AF_UNIX; AF_INET/AF_INET6/AF_NETLINK are EOPNOTSUPP as on Linux",
                (task, a) -> socketpair(task, a.i(0), a.i(1), a.i(2), a.a3()));
        t.add(SyscallNumbers.BIND, Support.PARTIAL, "AF_UNIX: path names (a socket inode in tmpfs, overlay or hostfs), the abstract namespace (per Jux instance), autobind; "
                + "AF_INET/AF_INET6: 127.0.0.0/8, ::1, 0.0.0.0, :: and v4-mapped, ephemeral ports 32768-60999, SO_REUSEADDR/SO_REUSEPORT, EACCES below 1024 unless root; "
                + "AF_NETLINK: a port id (0: the pid, then negative ids) and groups",
                (task, a) -> bind(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.LISTEN, Support.FULL, "", (task, a) -> {
            File f = anySocketOf(task, a.i(0));
            if (f instanceof NetlinkSocket) throw new LinuxException(Errno.EOPNOTSUPP);
            if (f instanceof InetSocket s) s.listen(a.i(1));
            else socketOf(task, a.i(0)).listen(a.i(1), caller(task));
            return 0;
        });
        t.add(SyscallNumbers.ACCEPT, Support.FULL, "", (task, a) -> accept(task, a.i(0), a.a1(), a.a2(), 0));
        t.add(SyscallNumbers.ACCEPT4, Support.FULL, "", (task, a) -> accept(task, a.i(0), a.a1(), a.a2(), a.i(3)));
        t.add(SyscallNumbers.CONNECT, Support.PARTIAL, "AF_UNIX; a host socket file seen through hostfs is ECONNREFUSED (never reached); AF_INET/AF_INET6 to the loopback network only (ENETUNREACH elsewhere)",
                (task, a) -> connect(task, a.i(0), a.a1(), a.i(2)));
        t.add(SyscallNumbers.GETSOCKNAME, Support.FULL, "", (task, a) -> {
            File f = anySocketOf(task, a.i(0));
            if (f instanceof NetlinkSocket s) return writeAddress(task, s.localName(), a.a1(), a.a2());
            if (f instanceof InetSocket s) return writeAddress(task, s.localName(), a.a1(), a.a2());
            UnixSocket s = socketOf(task, a.i(0));
            return writeAddress(task, s.localName(), a.a1(), a.a2());
        });
        t.add(SyscallNumbers.GETPEERNAME, Support.FULL, "", (task, a) -> {
            File f = anySocketOf(task, a.i(0));
            if (f instanceof NetlinkSocket s) return writeAddress(task, s.peerName(), a.a1(), a.a2());
            if (f instanceof InetSocket s) return writeAddress(task, s.peerName(), a.a1(), a.a2());
            UnixSocket s = socketOf(task, a.i(0));
            return writeAddress(task, s.peerName(), a.a1(), a.a2());
        });
        t.add(SyscallNumbers.SHUTDOWN, Support.FULL, "", (task, a) -> {
            File f = anySocketOf(task, a.i(0));
            if (f instanceof NetlinkSocket) throw new LinuxException(Errno.EOPNOTSUPP); // sock_no_shutdown
            if (f instanceof InetSocket s) s.shutdown(a.i(1));
            else socketOf(task, a.i(0)).shutdown(a.i(1));
            return 0;
        });
        String msgNote = "MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_NOSIGNAL, MSG_CMSG_CLOEXEC; SCM_RIGHTS and SCM_CREDENTIALS (unix sockets); MSG_OOB is EOPNOTSUPP (TCP: EINVAL on receive, sent as normal data)";
        t.add(SyscallNumbers.SENDTO, Support.PARTIAL, msgNote, (task, a) -> sendto(task, a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.i(5)));
        t.add(SyscallNumbers.RECVFROM, Support.PARTIAL, msgNote, (task, a) -> recvfrom(task, a.i(0), a.a1(), a.a2(), a.i(3), a.a4(), a.a5()));
        t.add(SyscallNumbers.SENDMSG, Support.PARTIAL, msgNote, (task, a) -> sendmsg(task, anySocketOf(task, a.i(0)), a.a1(), a.i(2)));
        t.add(SyscallNumbers.RECVMSG, Support.PARTIAL, msgNote, (task, a) -> recvmsg(task, anySocketOf(task, a.i(0)), a.a1(), a.i(2)));
        t.add(SyscallNumbers.SENDMMSG, Support.PARTIAL, msgNote, (task, a) -> sendmmsg(task, a.i(0), a.a1(), a.i(2), a.i(3)));
        t.add(SyscallNumbers.RECVMMSG, Support.PARTIAL, msgNote + "; the timeout only ends the batch between messages and is not written back",
                (task, a) -> recvmmsg(task, a.i(0), a.a1(), a.i(2), a.i(3), a.a4()));
        String optNote = "SOL_SOCKET: SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED, SO_PASSCRED, SO_SNDBUF/RCVBUF(+FORCE), "
                + "SO_RCVTIMEO/SNDTIMEO, SO_RCVLOWAT, SO_LINGER, SO_REUSEADDR/PORT, SO_KEEPALIVE and other flags stored; SO_PEEK_OFF, SO_PEERSEC, SO_PASSPIDFD not yet; "
                + "inet sockets: SOL_IP (IP_TOS, IP_TTL...), SOL_IPV6 (IPV6_V6ONLY acts, others stored), SOL_TCP (TCP_NODELAY, TCP_CORK, keepalive... stored), SOL_UDP (UDP_CORK stored); "
                + "unix sockets' other levels EOPNOTSUPP; netlink: SOL_NETLINK (NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK, NETLINK_CAP_ACK, NETLINK_NO_ENOBUFS, "
                + "NETLINK_ADD/DROP_MEMBERSHIP, NETLINK_LIST_MEMBERSHIPS, NETLINK_PKTINFO...), other levels ENOPROTOOPT";
        t.add(SyscallNumbers.SETSOCKOPT, Support.PARTIAL, optNote, (task, a) -> setsockopt(task, a.i(0), a.i(1), a.i(2), a.a3(), a.i(4)));
        t.add(SyscallNumbers.GETSOCKOPT, Support.PARTIAL, optNote, (task, a) -> getsockopt(task, a.i(0), a.i(1), a.i(2), a.a3(), a.a4()));
    }

    static Caller caller(Task t) {
        Credentials c = t.group().credentials();
        return new Caller(t.group().pid(), c.uid(), c.gid(), c.euid(), c.egid());
    }

    /** sockfd_lookup for any socket: EBADF for a closed (or O_PATH) fd, ENOTSOCK for another file. */
    static File anySocketOf(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (!(f instanceof UnixSocket) && !(f instanceof InetSocket) && !(f instanceof NetlinkSocket)) throw new LinuxException(Errno.ENOTSOCK);
        return f;
    }

    /** The internet socket behind {@code fd}, or null for a unix socket (EBADF, ENOTSOCK as sockfd_lookup). */
    static InetSocket inetOf(Task t, int fd) {
        return anySocketOf(t, fd) instanceof InetSocket s ? s : null;
    }

    /** sockfd_lookup: EBADF for a closed (or O_PATH) fd, ENOTSOCK for another file. */
    static UnixSocket socketOf(Task t, int fd) {
        File f = t.group().files().get(fd);
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (!(f instanceof UnixSocket s)) throw new LinuxException(Errno.ENOTSOCK);
        return s;
    }

    /**
     * __sys_socket_create's checks in Linux's order, then unix_create's: the AF_UNIX type, or an
     * error; -1 for socket(2) of AF_INET/AF_INET6, whose own checks InetSocketSyscalls.create makes,
     * -2 for AF_NETLINK (NetlinkSocketSyscalls.create).
     */
    private static int unixType(int domain, int type, int protocol, boolean pair) {
        if (((type & ~SOCK_TYPE_MASK) & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) throw new LinuxException(Errno.EINVAL);
        int base = type & SOCK_TYPE_MASK;
        if (domain < 0 || domain >= NPROTO) throw new LinuxException(Errno.EAFNOSUPPORT);
        if (base >= SOCK_MAX) throw new LinuxException(Errno.EINVAL);
        if (pair && (domain == AF_INET || domain == AF_INET6)) throw new LinuxException(Errno.EOPNOTSUPP);
        if (pair && domain == AF_NETLINK) NetlinkSocketSyscalls.pair(type, protocol);
        if (!pair && domain == AF_NETLINK) return -2;
        if (!pair && (domain == AF_INET || domain == AF_INET6)) return -1;
        if (domain != AF_UNIX) throw new LinuxException(Errno.EAFNOSUPPORT);
        if (protocol != 0 && protocol != AF_UNIX) throw new LinuxException(Errno.EPROTONOSUPPORT);
        return switch (base) {
            case UnixSocket.SOCK_STREAM -> UnixSocket.SOCK_STREAM;
            case UnixSocket.SOCK_SEQPACKET -> UnixSocket.SOCK_SEQPACKET;
            case UnixSocket.SOCK_DGRAM, 3 /* SOCK_RAW is a datagram socket */ -> UnixSocket.SOCK_DGRAM;
            default -> throw new LinuxException(Errno.ESOCKTNOSUPPORT);
        };
    }

    private static long install(Task t, File f, boolean cloexec) {
        try {
            return t.group().files().install(f, 0, cloexec, t.group().limits().soft(Rlimit.RLIMIT_NOFILE));
        } catch (LinuxException e) {
            f.release();
            throw e;
        }
    }

    static long socket(Task t, int domain, int type, int protocol) {
        int kind = unixType(domain, type, protocol, false);
        Credentials c = t.group().credentials();
        if (kind == -2) return install(t, NetlinkSocketSyscalls.create(t, type, protocol), (type & SOCK_CLOEXEC) != 0);
        if (kind < 0) return install(t, InetSocketSyscalls.create(t, domain, type, protocol), (type & SOCK_CLOEXEC) != 0);
        UnixSocket s = UnixSocket.create(t.kernel().unixNames(), kind, type & SOCK_NONBLOCK, c.fsuid(), c.fsgid());
        return install(t, s, (type & SOCK_CLOEXEC) != 0);
    }

    static long socketpair(Task t, int domain, int type, int protocol, long fdsAddr) {
        int kind = unixType(domain, type, protocol, true);
        Credentials c = t.group().credentials();
        UnixSocket[] pair = UnixSocket.pair(t.kernel().unixNames(), kind, type & SOCK_NONBLOCK, c.fsuid(), c.fsgid(), caller(t));
        FdTable files = t.group().files();
        boolean cloexec = (type & SOCK_CLOEXEC) != 0;
        long limit = t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
        int a = -1, b = -1;
        try {
            a = files.install(pair[0], 0, cloexec, limit);
            b = files.install(pair[1], 0, cloexec, limit);
            byte[] out = new byte[8];
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b);
            t.memory().write(fdsAddr, out);
            return 0;
        } catch (LinuxException e) {
            if (a >= 0) files.close(a); else pair[0].release();
            if (b >= 0) files.close(b); else pair[1].release();
            throw e;
        }
    }

    /** move_addr_to_kernel: EINVAL for a length below 0 or above sockaddr_storage, EFAULT for a bad buffer. */
    static byte[] readAddress(Task t, long addr, int len) {
        if (len < 0 || len > MAX_ADDRESS) throw new LinuxException(Errno.EINVAL);
        if (len == 0) return new byte[0];
        return t.memory().read(addr, len);
    }

    /** move_addr_to_user: copies at most *lenAddr bytes (EINVAL if negative) and writes the full length back. */
    static long writeAddress(Task t, byte[] address, long addr, long lenAddr) {
        int len = t.memory().readInt(lenAddr);
        if (len > address.length) len = address.length;
        if (len < 0) throw new LinuxException(Errno.EINVAL);
        if (len > 0) t.memory().write(addr, address, 0, len);
        t.memory().writeInt(lenAddr, address.length);
        return 0;
    }

    /** Finds sockets by name for connect and sendto: paths are walked from the working directory. */
    private static UnixSocket.Resolver resolver(Task t) {
        return (address, type) -> {
            Location start = address.isAbstract() ? null : PathArgs.start(t, dev.jux.abi.AtFlags.AT_FDCWD, address.path());
            return t.kernel().unixNames().find(address, PathArgs.walker(t), start, type);
        };
    }

    static long bind(Task t, int fd, long addr, int len) {
        File f = anySocketOf(t, fd);
        if (f instanceof NetlinkSocket nl) {
            nl.bind(readAddress(t, addr, len), caller(t));
            return 0;
        }
        if (f instanceof InetSocket inet) {
            inet.bind(readAddress(t, addr, len), t.group().credentials().isRoot());
            return 0;
        }
        UnixSocket s = socketOf(t, fd);
        byte[] raw = readAddress(t, addr, len);
        Location start = null;
        if (raw.length > UnixAddress.PATH_OFFSET && raw[UnixAddress.PATH_OFFSET] != 0 && UnixAddress.family(raw) == UnixAddress.AF_UNIX
                && raw.length <= UnixAddress.MAX_LENGTH) {
            start = PathArgs.start(t, dev.jux.abi.AtFlags.AT_FDCWD, UnixAddress.parse(raw).path());
        }
        s.bind(raw, PathArgs.walker(t), start, 0777 & ~t.group().umask());
        return 0;
    }

    static long connect(Task t, int fd, long addr, int len) {
        File f = t.group().files().get(fd);
        byte[] raw = readAddress(t, addr, len);
        if (f.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (f instanceof InetSocket inet) {
            inet.connect(t, raw);
            return 0;
        }
        if (f instanceof NetlinkSocket nl) {
            nl.connect(raw, caller(t));
            return 0;
        }
        if (!(f instanceof UnixSocket s)) throw new LinuxException(Errno.ENOTSOCK);
        s.connect(t, raw, resolver(t), caller(t));
        return 0;
    }

    /** accept4(2): the new fd is installed only once the peer's address has been written (do_accept). */
    static long accept(Task t, int fd, long addr, long lenAddr, int flags) {
        if ((flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) != 0) throw new LinuxException(Errno.EINVAL);
        Credentials c = t.group().credentials();
        File sock = anySocketOf(t, fd);
        if (sock instanceof NetlinkSocket) throw new LinuxException(Errno.EOPNOTSUPP); // sock_no_accept
        File conn;
        byte[] peer;
        if (sock instanceof InetSocket inet) {
            if (!(inet instanceof TcpSocket tcp)) throw new LinuxException(Errno.EOPNOTSUPP);
            TcpSocket accepted = tcp.accept(t, flags & SOCK_NONBLOCK, c.fsuid(), c.fsgid());
            conn = accepted;
            try {
                peer = accepted.peerName();
            } catch (LinuxException e) {
                peer = accepted.localName(); // reset before accept: Linux still returns it; the name is all it has
            }
        } else {
            UnixSocket u = ((UnixSocket) sock).accept(t, flags & SOCK_NONBLOCK, c.fsuid(), c.fsgid());
            conn = u;
            peer = u.peerName();
        }
        try {
            if (addr != 0) writeAddress(t, peer, addr, lenAddr);
        } catch (LinuxException e) {
            conn.release();
            throw e;
        }
        return install(t, conn, (flags & SOCK_CLOEXEC) != 0);
    }

    // ------------------------------------------------------------- data

    /** One sendmsg with its parts already read: gathers the iovecs, sends, raises SIGPIPE where the socket says so. */
    private static long send(Task t, File sock, long[][] iov, byte[] raw, Control control, int flags) {
        AddressSpace mem = t.memory();
        long total = 0;
        for (long[] io : iov) total += io[1];
        total = Math.min(total, UserIo.MAX_RW_COUNT);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(total, 1)).asSlice(0, total);
            long off = 0;
            for (long[] io : iov) {
                long k = Math.min(io[1], total - off);
                if (k <= 0) break;
                long got = mem.copyFromUserPartial(io[0], data.asSlice(off, k));
                if (got < k) throw new LinuxException(Errno.EFAULT);
                off += k;
            }
            if (sock instanceof NetlinkSocket nl) return nl.send(t, data, raw, flags, caller(t));
            if (sock instanceof InetSocket inet) {
                try {
                    return inet.send(t, data, raw, flags);
                } catch (LinuxException e) {
                    if (e.errno() == Errno.EPIPE && inet.sendsSigpipe(flags)) t.postFromSelf(Signal.SIGPIPE);
                    throw e;
                }
            }
            UnixSocket s = (UnixSocket) sock;
            Ucred creds = control.credentials != null ? control.credentials : caller(t).messageCredentials();
            try {
                return s.send(t, data, raw, resolver(t), control.files, creds, flags);
            } catch (LinuxException e) {
                if (e.errno() == Errno.EPIPE && s.sendsSigpipe(flags)) t.postFromSelf(Signal.SIGPIPE);
                throw e;
            }
        } finally {
            control.release();
        }
    }

    /** What a sender's control messages carry: files with a reference held for the call, explicit credentials. */
    private static final class Control {
        List<File> files;
        Ucred credentials;

        void release() {
            if (files != null) for (File f : files) FdTable.dropReference(f);
            files = null;
        }
    }

    /** __scm_send: SOL_SOCKET messages only (others skipped); EINVAL for a bad length or type. */
    private static Control parseControl(Task t, byte[] ctl) {
        Control c = new Control();
        ByteBuffer b = ByteBuffer.wrap(ctl).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long off = 0;
            while (off + CMSG_HDR <= ctl.length) {
                long len = b.getLong((int) off);
                if (len < CMSG_HDR || len > ctl.length - off) throw new LinuxException(Errno.EINVAL);
                int level = b.getInt((int) off + 8), type = b.getInt((int) off + 12);
                if (level == SocketOptions.SOL_SOCKET) {
                    switch (type) {
                        case SCM_RIGHTS -> {
                            int n = (int) ((len - CMSG_HDR) / 4);
                            if (n > 0) {
                                if (n > SCM_MAX_FD) throw new LinuxException(Errno.EINVAL);
                                if (c.files == null) c.files = new ArrayList<>();
                                if (c.files.size() + n > SCM_MAX_FD) throw new LinuxException(Errno.EINVAL);
                                for (int i = 0; i < n; i++) {
                                    int fd = b.getInt((int) off + CMSG_HDR + 4 * i);
                                    if (fd < 0) throw new LinuxException(Errno.EBADF);
                                    File f = t.group().files().get(fd);
                                    FdTable.holdReference(f);
                                    c.files.add(f);
                                }
                            }
                        }
                        case SCM_CREDENTIALS -> {
                            if (len != CMSG_HDR + 12) throw new LinuxException(Errno.EINVAL);
                            c.credentials = checkCredentials(t, new Ucred(b.getInt((int) off + 16), b.getInt((int) off + 20), b.getInt((int) off + 24)));
                        }
                        default -> throw new LinuxException(Errno.EINVAL);
                    }
                }
                off += (len + 7) & ~7L;
            }
            return c;
        } catch (LinuxException e) {
            c.release();
            throw e;
        }
    }

    /** scm_check_creds: one's own pid and ids unless root (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID); ESRCH for no such pid. */
    private static Ucred checkCredentials(Task t, Ucred u) {
        Credentials c = t.group().credentials();
        boolean root = c.isRoot();
        boolean ok = (u.pid() == t.group().pid() || root)
                && (u.uid() == c.uid() || u.uid() == c.euid() || u.uid() == c.suid() || root)
                && (u.gid() == c.gid() || u.gid() == c.egid() || u.gid() == c.sgid() || root);
        if (!ok) throw new LinuxException(Errno.EPERM);
        if (t.kernel().process(u.pid()) == null) throw new LinuxException(Errno.ESRCH);
        if (u.uid() == -1 || u.gid() == -1) throw new LinuxException(Errno.EINVAL);
        return u;
    }

    static long sendto(Task t, int fd, long buf, long len, int flags, long addr, int addrLen) {
        if (len < 0) len = UserIo.MAX_RW_COUNT;
        File s = anySocketOf(t, fd);
        byte[] raw = addr == 0 ? null : readAddress(t, addr, addrLen);
        if (raw != null && raw.length == 0) raw = null;
        return send(t, s, new long[][] {{buf, len}}, raw, new Control(), flags);
    }

    /** A struct msghdr as the guest wrote it. */
    private record MsgHdr(long name, int nameLen, long iov, long iovLen, long control, long controlLen, int flags) {
        static MsgHdr read(Task t, long addr) {
            ByteBuffer b = ByteBuffer.wrap(t.memory().read(addr, MSGHDR)).order(ByteOrder.LITTLE_ENDIAN);
            return new MsgHdr(b.getLong(0), b.getInt(8), b.getLong(16), b.getLong(24), b.getLong(32), b.getLong(40), b.getInt(48));
        }

        /** copy_msghdr_from_user's checks: EINVAL for a negative name length, EMSGSIZE past UIO_MAXIOV iovecs. */
        long[][] iovecs(Task t) {
            if (nameLen < 0) throw new LinuxException(Errno.EINVAL);
            if (Long.compareUnsigned(iovLen, FileSyscalls.UIO_MAXIOV) > 0) throw new LinuxException(Errno.EMSGSIZE);
            return FileSyscalls.iovecs(t.memory(), iov, (int) iovLen);
        }
    }

    static long sendmsg(Task t, File s, long msgAddr, int flags) {
        MsgHdr h = MsgHdr.read(t, msgAddr);
        long[][] iov = h.iovecs(t);
        byte[] raw = h.name == 0 || h.nameLen == 0 ? null : readAddress(t, h.name, Math.min(h.nameLen, MAX_ADDRESS));
        if (Long.compareUnsigned(h.controlLen, Integer.MAX_VALUE) > 0) throw new LinuxException(Errno.ENOBUFS);
        Control control = h.controlLen == 0 ? new Control() : parseControl(t, t.memory().read(h.control, (int) h.controlLen));
        return send(t, s, iov, raw, control, flags);
    }

    static long sendmmsg(Task t, int fd, long vec, int vlen, int flags) {
        File s = anySocketOf(t, fd);
        int n = Integer.compareUnsigned(vlen, FileSyscalls.UIO_MAXIOV) > 0 ? FileSyscalls.UIO_MAXIOV : vlen;
        int sent = 0;
        for (; sent < n; sent++) {
            long entry = vec + (long) MMSGHDR * sent;
            long r;
            try {
                r = sendmsg(t, s, entry, flags);
            } catch (LinuxException e) {
                if (sent == 0) throw e;
                break;
            }
            t.memory().writeInt(entry + MSGHDR, (int) r);
        }
        return sent;
    }

    static long recvfrom(Task t, int fd, long buf, long len, int flags, long addr, long lenAddr) {
        File s = anySocketOf(t, fd);
        if (len < 0) len = UserIo.MAX_RW_COUNT;
        Received r = receive(t, s, new long[][] {{buf, len}}, flags, addr != 0);
        dropAll(r.files());
        if (addr != 0) writeAddress(t, r.from() == null ? new byte[0] : r.from().sockaddr(), addr, lenAddr);
        return r.result();
    }

    private static void dropAll(List<File> files) {
        if (files != null) for (File f : files) FdTable.dropReference(f);
    }

    /** One receive into the iovecs (checked writable first, so a bad buffer costs no message). */
    private static Received receive(Task t, File s, long[][] iov, int flags, boolean wantName) {
        AddressSpace mem = t.memory();
        long total = 0;
        for (long[] io : iov) {
            // Netlink takes the datagram first and fails the copy after (an empty queue is EAGAIN, a lost reply EFAULT).
            if (!(s instanceof NetlinkSocket)) mem.checkAccess(io[0], io[1], true);
            total += io[1];
        }
        total = Math.min(Math.min(total, UserIo.MAX_RW_COUNT), BOUNCE_MAX);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bounce = arena.allocate(Math.max(total, 1)).asSlice(0, total);
            Received r = s instanceof InetSocket inet ? inet.receive(t, bounce, flags)
                    : s instanceof NetlinkSocket nl ? nl.receive(t, bounce, flags)
                    : ((UnixSocket) s).receive(t, bounce, flags, wantName);
            long n = Math.min(r.result(), total), off = 0;
            for (long[] io : iov) {
                if (off >= n) break;
                long k = Math.min(io[1], n - off);
                mem.copyToUser(io[0], bounce.asSlice(off, k));
                off += k;
            }
            return r;
        }
    }

    static long recvmsg(Task t, File s, long msgAddr, int flags) {
        MsgHdr h = MsgHdr.read(t, msgAddr);
        long[][] iov = h.iovecs(t);
        Received r = receive(t, s, iov, flags, h.name != 0);
        // ____sys_recvmsg starts msg_flags with the caller's MSG_CMSG_CLOEXEC.
        int outFlags = r.flags() | (flags & UnixSocket.MSG_CMSG_CLOEXEC);
        long used = 0;
        try {
            if (h.name != 0) writeAddress(t, r.from() == null ? new byte[0] : r.from().sockaddr(), h.name, msgAddr + 8);
            ControlWriter w = new ControlWriter(t, h.control, h.controlLen);
            if (h.control == 0) {
                if (r.credentials() != null || r.files() != null || r.control() != null) outFlags |= UnixSocket.MSG_CTRUNC;
            } else {
                if (r.control() != null) w.put(r.control().level(), r.control().type(), r.control().data());
                if (r.credentials() != null) w.put(SocketOptions.SOL_SOCKET, SCM_CREDENTIALS, r.credentials().bytes());
                if (r.files() != null) w.putFiles(r.files(), (flags & UnixSocket.MSG_CMSG_CLOEXEC) != 0);
                outFlags |= w.flags;
                used = w.used;
            }
        } finally {
            dropAll(r.files());
        }
        t.memory().writeInt(msgAddr + 48, outFlags);
        t.memory().writeLong(msgAddr + 40, used);
        return r.result();
    }

    /** Writes control messages into the guest's buffer as put_cmsg and scm_detach_fds do. */
    private static final class ControlWriter {
        final Task t;
        long at, left, used;
        int flags;

        ControlWriter(Task t, long at, long left) {
            this.t = t;
            this.at = at;
            this.left = left;
        }

        private void header(long len, int level, int type) {
            byte[] h = new byte[CMSG_HDR];
            ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(len).putInt(level).putInt(type);
            t.memory().write(at, h, 0, (int) Math.min(CMSG_HDR, len));
        }

        private void advance(long dataLen) {
            long step = Math.min(CMSG_HDR + ((dataLen + 7) & ~7L), left);
            at += step;
            left -= step;
            used += step;
        }

        /** put_cmsg: truncated (MSG_CTRUNC) if it does not fit, nothing if not even a header fits. */
        void put(int level, int type, byte[] data) {
            if (left < CMSG_HDR) {
                flags |= UnixSocket.MSG_CTRUNC;
                return;
            }
            long len = CMSG_HDR + data.length;
            if (left < len) {
                flags |= UnixSocket.MSG_CTRUNC;
                len = left;
            }
            header(len, level, type);
            t.memory().write(at + CMSG_HDR, data, 0, (int) (len - CMSG_HDR));
            advance(data.length);
        }

        /** scm_detach_fds: installs what fits; the rest are closed and MSG_CTRUNC says so. */
        void putFiles(List<File> files, boolean cloexec) {
            int max = left > CMSG_HDR ? (int) Math.min((left - CMSG_HDR) / 4, Integer.MAX_VALUE) : 0;
            int n = Math.min(max, files.size());
            long limit = t.group().limits().soft(Rlimit.RLIMIT_NOFILE);
            int i = 0;
            for (; i < n; i++) {
                int fd;
                try {
                    fd = t.group().files().install(files.get(i), 0, cloexec, limit);
                } catch (LinuxException e) {
                    break;
                }
                t.memory().writeInt(at + CMSG_HDR + 4L * i, fd);
            }
            if (i > 0) {
                header(CMSG_HDR + 4L * i, SocketOptions.SOL_SOCKET, SCM_RIGHTS);
                advance(4L * i);
            }
            if (i < files.size()) flags |= UnixSocket.MSG_CTRUNC;
        }
    }

    static long recvmmsg(Task t, int fd, long vec, int vlen, int flags, long timeoutAddr) {
        File s = anySocketOf(t, fd);
        long deadline = Long.MAX_VALUE;
        if (timeoutAddr != 0) deadline = System.nanoTime() + TimeSyscalls.readTimespec(t, timeoutAddr);
        int n = Integer.compareUnsigned(vlen, FileSyscalls.UIO_MAXIOV) > 0 ? FileSyscalls.UIO_MAXIOV : vlen;
        int got = 0;
        int f = flags & ~MSG_WAITFORONE;
        for (; got < n; got++) {
            long entry = vec + (long) MMSGHDR * got;
            long r;
            try {
                r = recvmsg(t, s, entry, f);
            } catch (LinuxException e) {
                if (got == 0) throw e;
                break;
            }
            t.memory().writeInt(entry + MSGHDR, (int) r);
            if ((flags & MSG_WAITFORONE) != 0) f |= UnixSocket.MSG_DONTWAIT;
            if (System.nanoTime() >= deadline) {
                got++;
                break;
            }
        }
        return got;
    }

    static long setsockopt(Task t, int fd, int level, int name, long value, int len) {
        File f = anySocketOf(t, fd);
        if (len < 0) throw new LinuxException(Errno.EINVAL);
        if (f instanceof NetlinkSocket nl) {
            byte[] v = t.memory().read(value, Math.min(len, 64));
            if (level == SocketOptions.SOL_SOCKET) nl.options().set(name, v);
            else nl.setOption(level, name, v, caller(t));
            return 0;
        }
        InetSocket inet = f instanceof InetSocket i ? i : null;
        if (level != SocketOptions.SOL_SOCKET && inet == null) throw new LinuxException(Errno.EOPNOTSUPP);
        byte[] v = t.memory().read(value, Math.min(len, 64));
        if (level != SocketOptions.SOL_SOCKET) inet.setOption(level, name, v);
        else if (inet != null) inet.options().set(name, v);
        else ((UnixSocket) f).options().set(name, v);
        return 0;
    }

    static long getsockopt(Task t, int fd, int level, int name, long value, long lenAddr) {
        File f = anySocketOf(t, fd);
        if (f instanceof NetlinkSocket nl && level != SocketOptions.SOL_SOCKET) {
            if (level != NetlinkSocket.SOL_NETLINK) throw new LinuxException(Errno.ENOPROTOOPT);
            int len = t.memory().readInt(lenAddr);
            if (len < 0) throw new LinuxException(Errno.EINVAL);
            byte[] v = nl.getOption(level, name, len);
            t.memory().write(value, v, 0, Math.min(len, v.length));
            t.memory().writeInt(lenAddr, nl.optionLength(name, v));
            return 0;
        }
        if (f instanceof NetlinkSocket nl) {
            int len = t.memory().readInt(lenAddr);
            if (len < 0) throw new LinuxException(Errno.EINVAL);
            byte[] v = nl.options().get(name);
            int n = Math.min(len, v.length);
            t.memory().write(value, v, 0, n);
            t.memory().writeInt(lenAddr, n);
            return 0;
        }
        InetSocket inet = f instanceof InetSocket i ? i : null;
        if (level != SocketOptions.SOL_SOCKET && inet == null) throw new LinuxException(Errno.EOPNOTSUPP);
        int len = t.memory().readInt(lenAddr);
        if (len < 0) throw new LinuxException(Errno.EINVAL);
        byte[] v = level != SocketOptions.SOL_SOCKET ? inet.getOption(level, name)
                : inet != null ? inet.options().get(name) : ((UnixSocket) f).options().get(name);
        int n = Math.min(len, v.length);
        t.memory().write(value, v, 0, n);
        t.memory().writeInt(lenAddr, n);
        return 0;
    }
}
