package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.FdTable;
import dev.jux.fs.File;
import dev.jux.fs.IoctlArg;
import dev.jux.fs.vfs.Location;
import dev.jux.fs.vfs.PathWalker;
import dev.jux.wait.PollTable;
import dev.jux.wait.WaitQueue;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * An AF_UNIX socket (unix(7)) and its open file description, modelled on Linux's
 * net/unix/af_unix.c: SOCK_STREAM (a byte stream; a read never crosses an SCM_RIGHTS
 * message, nor, under SO_PASSCRED, a change of writer), SOCK_SEQPACKET (datagram semantics on
 * a connection) and SOCK_DGRAM (named or connected). A sender appends {@link Message}s to the
 * receiver's queue; their size counts against the sender's SO_SNDBUF until consumed, which is
 * where a stream writer blocks; a datagram sender also waits while an unconnected receiver
 * holds more than max_dgram_qlen (10) messages. A connect puts a new server-side socket on
 * the listener's queue at once (the client is connected before accept, as on Linux).
 * <p>One lock ({@link #LOCK}) guards every unix socket: operations touch two sockets at a
 * time and the lock is never held while waking waiters ({@link Wakes}) or releasing files.
 */
public final class UnixSocket extends SocketFile implements SocketOptions.Owner {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    public static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_CTRUNC = 8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40,
            MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    static final Object LOCK = new Object();
    static final int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
    /** net.unix.max_dgram_qlen's default. */
    static final int MAX_DGRAM_QLEN = 10;
    /** net.core.somaxconn's default. */
    static final int SOMAXCONN = 4096;
    private static volatile Function<Waiter, Caller> callers = w -> new Caller(0, 0, 0, 0, 0);

    /** Tells sockets who a waiter is (the syscall layer installs it): read(2)/write(2) carry no caller. */
    public static void setCallers(Function<Waiter, Caller> lookup) {
        callers = lookup;
    }

    /** Who the process behind {@code w} is, for read(2)/write(2) on any kind of socket. */
    static Caller callerOf(Waiter w) {
        return callers.apply(w);
    }

    enum State { UNCONNECTED, LISTENING, CONNECTED }

    final UnixNames names;
    final int type;
    final SocketOptions options = new SocketOptions(this);
    final WaitQueue wait = new WaitQueue();
    /** Senders waiting for room in this socket's queue (Linux's peer_wait). */
    final WaitQueue peerWait = new WaitQueue();

    // Guarded by LOCK.
    State state = State.UNCONNECTED;
    UnixAddress address;
    UnixNames.InodeKey boundInode;
    UnixSocket peer;
    boolean dead;
    int shutdown;
    Errno error;
    final ArrayDeque<Message> queue = new ArrayDeque<>();
    int backlog;
    long wmem;
    Ucred peerCredentials;

    private UnixSocket(UnixNames names, int type, int flags, int uid, int gid) {
        super(flags, uid, gid);
        this.names = names;
        this.type = type;
    }

    /** socket(AF_UNIX, type, 0); {@code flags} may hold O_NONBLOCK; the inode belongs to (uid, gid), the caller's fs ids. */
    public static UnixSocket create(UnixNames names, int type, int flags, int uid, int gid) {
        return new UnixSocket(names, type, flags, uid, gid);
    }

    /** socketpair(2): two connected sockets, each the other's peer with the caller's credentials. */
    public static UnixSocket[] pair(UnixNames names, int type, int flags, int uid, int gid, Caller caller) {
        UnixSocket a = create(names, type, flags, uid, gid), b = create(names, type, flags, uid, gid);
        synchronized (LOCK) {
            a.peer = b;
            b.peer = a;
            a.state = b.state = State.CONNECTED;
            a.peerCredentials = b.peerCredentials = caller.peerCredentials();
        }
        return new UnixSocket[] {a, b};
    }

    @Override
    public int type() {
        return type;
    }

    @Override
    public int domain() {
        return UnixAddress.AF_UNIX;
    }

    @Override
    public int protocol() {
        return 0;
    }

    public SocketOptions options() {
        return options;
    }

    private boolean connectionBased() {
        return type != SOCK_DGRAM;
    }

    // ---------------------------------------------------------------- names

    /**
     * bind(2) (unix_bind): the family alone autobinds; a path makes a socket inode with
     * {@code mode} (0777 less the umask), an abstract name takes the name.
     */
    public void bind(byte[] raw, PathWalker walker, Location start, int mode) {
        if (raw.length == UnixAddress.PATH_OFFSET && UnixAddress.family(raw) == UnixAddress.AF_UNIX) {
            names.autobind(this);
            return;
        }
        UnixAddress a = UnixAddress.parse(raw);
        if (a.isAbstract()) names.bindAbstract(this, a);
        else names.bindPath(this, walker, start, a.path(), mode);
    }

    /** getsockname: the bound name, or the family alone. */
    public byte[] localName() {
        synchronized (LOCK) {
            return address == null ? UnixAddress.UNNAMED.clone() : address.sockaddr();
        }
    }

    /** getpeername: ENOTCONN without a peer; the peer's name, or the family alone. */
    public byte[] peerName() {
        synchronized (LOCK) {
            if (peer == null) throw new LinuxException(Errno.ENOTCONN);
            return peer.address == null ? UnixAddress.UNNAMED.clone() : peer.address.sockaddr();
        }
    }

    /** Finds the socket an address names (the syscall layer walks paths for it). */
    @FunctionalInterface
    public interface Resolver {
        UnixSocket find(UnixAddress address, int type);
    }

    private void autobindIfPasscred() {
        if (options.passcred) names.autobind(this);
    }

    // ---------------------------------------------------------------- connections

    /** listen(2) (unix_listen). */
    public void listen(int requested, Caller caller) {
        if (type == SOCK_DGRAM) throw new LinuxException(Errno.EOPNOTSUPP);
        Wakes wakes = new Wakes();
        synchronized (LOCK) {
            if (address == null) throw new LinuxException(Errno.EINVAL);
            if (state != State.UNCONNECTED && state != State.LISTENING) throw new LinuxException(Errno.EINVAL);
            int b = Integer.compareUnsigned(requested, SOMAXCONN) > 0 ? SOMAXCONN : requested;
            if (b > backlog) wakes.add(peerWait, 0);
            backlog = b;
            state = State.LISTENING;
            peerCredentials = caller.peerCredentials();
        }
        wakes.fire();
    }

    /** How long a wait may last: 0 for a non-blocking call, else the SO_RCVTIMEO/SO_SNDTIMEO deadline. */
    static long deadline(boolean nonBlocking, long timeoutNanos) {
        if (nonBlocking) return 0;
        if (timeoutNanos == SocketOptions.NO_TIMEOUT) return Waiter.FOREVER;
        return System.nanoTime() + timeoutNanos;
    }

    /** sock_intr_errno: a call without a timeout restarts (after SA_RESTART), one with a timeout is EINTR. */
    static LinuxException interrupted(long deadline) {
        return new LinuxException(deadline == Waiter.FOREVER ? Errno.ERESTARTSYS : Errno.EINTR);
    }

    private static Wakeup await(Waiter w, WaitQueue q, BooleanSupplier ready, long deadline) {
        return q.await(w, () -> {
            synchronized (LOCK) {
                return ready.getAsBoolean();
            }
        }, deadline);
    }

    private boolean nonBlocking(int msgFlags) {
        return (msgFlags & MSG_DONTWAIT) != 0 || (flags & OpenFlags.O_NONBLOCK) != 0;
    }

    /** connect(2): unix_stream_connect for stream and seqpacket sockets, unix_dgram_connect for datagrams. */
    public void connect(Waiter w, byte[] raw, Resolver resolver, Caller caller) {
        if (type == SOCK_DGRAM) connectDatagram(raw, resolver);
        else connectStream(w, raw, resolver, caller);
    }

    private void connectStream(Waiter w, byte[] raw, Resolver resolver, Caller caller) {
        UnixAddress a = UnixAddress.parse(raw);
        autobindIfPasscred();
        long deadline = deadline((flags & OpenFlags.O_NONBLOCK) != 0, options.sndTimeout);
        while (true) {
            UnixSocket other = resolver.find(a, type);
            Wakes wakes = new Wakes();
            boolean connected = false;
            synchronized (LOCK) {
                if (other.dead) continue;
                if (other.state != State.LISTENING || (other.shutdown & RCV_SHUTDOWN) != 0) throw new LinuxException(Errno.ECONNREFUSED);
                if (other.queue.size() > other.backlog) {
                    if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
                } else {
                    if (state != State.UNCONNECTED) throw new LinuxException(state == State.CONNECTED ? Errno.EISCONN : Errno.EINVAL);
                    UnixSocket server = new UnixSocket(names, type, 0, uid, gid);
                    server.state = State.CONNECTED;
                    server.peer = this;
                    server.peerCredentials = caller.peerCredentials();
                    server.address = other.address;
                    peer = server;
                    state = State.CONNECTED;
                    peerCredentials = other.peerCredentials;
                    Message request = new Message(new byte[0], this, null, null, server);
                    other.queue.add(request);
                    wmem += request.trueSize;
                    wakes.add(other.wait, Poll.POLLIN | Poll.POLLRDNORM);
                    connected = true;
                }
            }
            if (connected) {
                wakes.fire();
                return;
            }
            // unix_wait_for_peer: until the listener's queue has room, or it goes away.
            Wakeup r = await(w, other.peerWait, () -> other.dead || (other.shutdown & RCV_SHUTDOWN) != 0 || other.queue.size() <= other.backlog, deadline);
            if (r == Wakeup.INTERRUPTED) throw interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) throw new LinuxException(Errno.EAGAIN);
        }
    }

    private void connectDatagram(byte[] raw, Resolver resolver) {
        if (raw.length < 2) throw new LinuxException(Errno.EINVAL);
        UnixSocket other = null;
        if (UnixAddress.family(raw) != UnixAddress.AF_UNSPEC) {
            UnixAddress a = UnixAddress.parse(raw);
            autobindIfPasscred();
            other = resolver.find(a, type);
        }
        Wakes wakes = new Wakes();
        List<Message> purged = null;
        synchronized (LOCK) {
            if (other != null && other.peer != null && other.peer != this) throw new LinuxException(Errno.EPERM);
            UnixSocket old = peer;
            peer = other;
            state = other == null ? State.UNCONNECTED : State.CONNECTED;
            if (old != null && old != other) purged = disconnected(old, wakes);
        }
        wakes.fire();
        dispose(purged);
    }

    /**
     * unix_dgram_disconnected: this socket stopped sending to {@code old}; its unread
     * messages are dropped, and if {@code old} was sending to it, {@code old} gets ECONNRESET.
     */
    private List<Message> disconnected(UnixSocket old, Wakes wakes) {
        if (queue.isEmpty()) return null;
        List<Message> purged = new ArrayList<>(queue);
        queue.clear();
        wakes.add(peerWait, 0);
        if (!old.dead && old.peer == this) {
            old.error = Errno.ECONNRESET;
            wakes.add(old.wait, Poll.POLLERR);
        }
        return purged;
    }

    /** accept4(2) (unix_accept): the next connection, with file flags {@code newFlags} (O_NONBLOCK). */
    public UnixSocket accept(Waiter w, int newFlags, int newUid, int newGid) {
        if (type == SOCK_DGRAM) throw new LinuxException(Errno.EOPNOTSUPP);
        long deadline = deadline((flags & OpenFlags.O_NONBLOCK) != 0, options.rcvTimeout);
        while (true) {
            Wakes wakes = new Wakes();
            UnixSocket accepted = null;
            synchronized (LOCK) {
                if (state != State.LISTENING) throw new LinuxException(Errno.EINVAL);
                Message m = queue.poll();
                if (m != null) {
                    accepted = m.connection;
                    accepted.flags = OpenFlags.O_RDWR | (newFlags & OpenFlags.O_NONBLOCK);
                    accepted.uid = newUid;
                    accepted.gid = newGid;
                    accepted.options.passcred = options.passcred; // unix_sock_inherit_flags
                    wakes.add(peerWait, Poll.POLLOUT);
                    consumed(m, wakes);
                }
            }
            wakes.fire();
            if (accepted != null) return accepted;
            synchronized (LOCK) {
                if (error != null) throw new LinuxException(takeError());
                if ((shutdown & RCV_SHUTDOWN) != 0) throw new LinuxException(Errno.EINVAL);
                if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup r = await(w, wait, () -> !queue.isEmpty() || error != null || (shutdown & RCV_SHUTDOWN) != 0 || state != State.LISTENING, deadline);
            if (r == Wakeup.INTERRUPTED) throw interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
    }

    /** shutdown(2) (unix_shutdown): EINVAL for a bad {@code how}; a connected peer stops the other direction. */
    public void shutdown(int how) {
        if (how < 0 || how > 2) throw new LinuxException(Errno.EINVAL);
        int mode = how + 1;
        Wakes wakes = new Wakes();
        synchronized (LOCK) {
            shutdown |= mode;
            wakes.add(wait, 0);
            if (peer != null && connectionBased()) {
                int peerMode = ((mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0) | ((mode & SEND_SHUTDOWN) != 0 ? RCV_SHUTDOWN : 0);
                peer.shutdown |= peerMode;
                wakes.add(peer.wait, 0);
            }
        }
        wakes.fire();
    }

    Errno takeError() {
        Errno e = error;
        error = null;
        return e;
    }

    /** SO_ERROR: the pending error number, cleared; 0 if none. */
    @Override
    public int takeErrorNumber() {
        synchronized (LOCK) {
            Errno e = takeError();
            return e == null ? 0 : e.number();
        }
    }

    @Override
    public boolean isListening() {
        synchronized (LOCK) {
            return state == State.LISTENING;
        }
    }

    @Override
    public Ucred peerCredentials() {
        synchronized (LOCK) {
            return peerCredentials == null ? Ucred.NONE : peerCredentials;
        }
    }

    // ---------------------------------------------------------------- sending

    /** Whether an EPIPE from a send raises SIGPIPE: only stream sockets do, and not under MSG_NOSIGNAL. */
    public boolean sendsSigpipe(int msgFlags) {
        return type == SOCK_STREAM && (msgFlags & MSG_NOSIGNAL) == 0;
    }

    /**
     * sendmsg: {@code raw} is the destination (null for none), {@code files} what SCM_RIGHTS
     * passes (the caller keeps its own references; queued messages take theirs) and
     * {@code credentials} what the messages carry. Returns the bytes sent.
     */
    public long send(Waiter w, MemorySegment data, byte[] raw, Resolver resolver, List<File> files, Ucred credentials, int msgFlags) {
        if ((msgFlags & MSG_OOB) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        return type == SOCK_STREAM ? sendStream(w, data, raw, files, credentials, msgFlags)
                : sendDatagram(w, data, raw, resolver, files, credentials, msgFlags);
    }

    private static List<File> hold(List<File> files) {
        if (files == null || files.isEmpty()) return null;
        for (File f : files) FdTable.holdReference(f);
        return new ArrayList<>(files);
    }

    private long sendStream(Waiter w, MemorySegment data, byte[] raw, List<File> files, Ucred credentials, int msgFlags) {
        long len = data.byteSize(), sent = 0;
        long deadline = deadline(nonBlocking(msgFlags), options.sndTimeout);
        synchronized (LOCK) {
            if (raw != null) throw new LinuxException(state == State.CONNECTED ? Errno.EISCONN : Errno.EOPNOTSUPP);
            if (peer == null) throw new LinuxException(Errno.ENOTCONN);
            if ((shutdown & SEND_SHUTDOWN) != 0) throw new LinuxException(Errno.EPIPE);
        }
        boolean filesSent = false;
        while (sent < len) {
            Wakes wakes = new Wakes();
            boolean queued = false;
            synchronized (LOCK) {
                UnixSocket p = peer;
                if ((shutdown & SEND_SHUTDOWN) != 0 || p == null || p.dead || (p.shutdown & RCV_SHUTDOWN) != 0) {
                    if (sent > 0) return sent;
                    throw new LinuxException(Errno.EPIPE);
                }
                if (wmem < options.sndbuf) {
                    int chunk = (int) Math.min(len - sent, Math.min(options.sndbuf / 2 - 64, 36544));
                    byte[] bytes = new byte[chunk];
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, sent, bytes, 0, chunk);
                    Message m = new Message(bytes, this, credentials, filesSent ? null : hold(files), null);
                    filesSent = true;
                    p.queue.add(m);
                    wmem += m.trueSize;
                    sent += chunk;
                    queued = true;
                    wakes.add(p.wait, Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDBAND);
                } else if (deadline == 0) {
                    if (sent > 0) return sent;
                    throw new LinuxException(Errno.EAGAIN);
                }
            }
            wakes.fire();
            if (queued) continue;
            Wakeup r = await(w, wait, () -> wmem < options.sndbuf || (shutdown & SEND_SHUTDOWN) != 0 || peer == null || peer.dead, deadline);
            if (r == Wakeup.INTERRUPTED) {
                if (sent > 0) return sent;
                throw interrupted(deadline);
            }
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        return sent;
    }

    private long sendDatagram(Waiter w, MemorySegment data, byte[] raw, Resolver resolver, List<File> files, Ucred credentials, int msgFlags) {
        long len = data.byteSize();
        UnixAddress to = null;
        UnixSocket other;
        synchronized (LOCK) {
            if (type == SOCK_SEQPACKET) {
                if (state != State.CONNECTED) throw new LinuxException(Errno.ENOTCONN);
                raw = null;
            }
            if (raw != null) to = UnixAddress.parse(raw);
            other = raw == null ? peer : null;
            if (raw == null && other == null) throw new LinuxException(Errno.ENOTCONN);
        }
        autobindIfPasscred();
        if (len > options.sndbuf - 32) throw new LinuxException(Errno.EMSGSIZE);
        long deadline = deadline(nonBlocking(msgFlags), options.sndTimeout);
        // sock_alloc_send_pskb: wait for room in our own send buffer.
        while (true) {
            synchronized (LOCK) {
                if (error != null) throw new LinuxException(takeError());
                if ((shutdown & SEND_SHUTDOWN) != 0) throw new LinuxException(Errno.EPIPE);
                if (wmem < options.sndbuf) break;
                if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
            }
            Wakeup r = await(w, wait, () -> wmem < options.sndbuf || error != null || (shutdown & SEND_SHUTDOWN) != 0, deadline);
            if (r == Wakeup.INTERRUPTED) throw interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) len);
        while (true) {
            if (other == null) other = resolver.find(to, type);
            UnixSocket target = other;
            Wakes wakes = new Wakes();
            List<Message> purged = null;
            boolean sent = false, refused = false, lookAgain = false;
            synchronized (LOCK) {
                if (target.peer != null && target.peer != this) throw new LinuxException(Errno.EPERM);
                if (target.dead) {
                    if (type == SOCK_SEQPACKET) throw new LinuxException(Errno.EPIPE);
                    if (peer == target) {
                        // Our peer is gone: we are disconnected, and say so once (ECONNREFUSED).
                        peer = null;
                        state = State.UNCONNECTED;
                        purged = disconnected(target, wakes);
                        refused = true;
                    } else if (to == null) {
                        throw new LinuxException(Errno.ECONNREFUSED);
                    } else {
                        lookAgain = true;
                    }
                } else {
                    if ((target.shutdown & RCV_SHUTDOWN) != 0) throw new LinuxException(Errno.EPIPE);
                    boolean full = target != this && target.peer != this && target.queue.size() > MAX_DGRAM_QLEN;
                    if (!full) {
                        Message m = new Message(bytes, this, credentials, hold(files), null);
                        target.queue.add(m);
                        wmem += m.trueSize;
                        wakes.add(target.wait, Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDBAND);
                        sent = true;
                    } else if (deadline == 0) {
                        throw new LinuxException(Errno.EAGAIN);
                    }
                }
            }
            wakes.fire();
            if (sent) return len;
            if (refused) {
                dispose(purged);
                throw new LinuxException(Errno.ECONNREFUSED);
            }
            if (lookAgain) {
                other = null;
                continue;
            }
            Wakeup r = await(w, target.peerWait, () -> target.dead || (target.shutdown & RCV_SHUTDOWN) != 0 || target.queue.size() <= MAX_DGRAM_QLEN, deadline);
            if (r == Wakeup.INTERRUPTED) throw interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
    }

    // ---------------------------------------------------------------- receiving

    /** recvmsg into {@code dst}: MSG_PEEK, MSG_WAITALL, MSG_TRUNC, MSG_DONTWAIT; {@code wantName} asks for the sender's name. */
    public Received receive(Waiter w, MemorySegment dst, int msgFlags, boolean wantName) {
        if ((msgFlags & MSG_OOB) != 0) throw new LinuxException(type == SOCK_STREAM ? Errno.EINVAL : Errno.EOPNOTSUPP);
        return type == SOCK_STREAM ? receiveStream(w, dst, msgFlags, wantName) : receiveDatagram(w, dst, msgFlags);
    }

    /** Consumed messages give their sender's buffer space back (sock_wfree), waking a blocked writer. */
    private static void consumed(Message m, Wakes wakes) {
        UnixSocket s = m.sender;
        s.wmem -= m.trueSize;
        if (s.wmem * 4 <= s.options.sndbuf) wakes.add(s.wait, Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND);
    }

    private Received receiveStream(Waiter w, MemorySegment dst, int msgFlags, boolean wantName) {
        synchronized (LOCK) {
            if (state != State.CONNECTED) throw new LinuxException(Errno.EINVAL);
        }
        boolean peek = (msgFlags & MSG_PEEK) != 0;
        long size = dst.byteSize();
        long target = (msgFlags & MSG_WAITALL) != 0 ? size : Math.min(options.rcvlowat, size);
        if (target < 1) target = 1;
        long deadline = deadline(nonBlocking(msgFlags), options.rcvTimeout);
        long copied = 0;
        boolean checkCredentials = false;
        Ucred creds = null;
        UnixAddress from = null;
        List<File> files = null;
        LinuxException failure = null;
        boolean passcred = options.passcred;
        Wakes wakes = new Wakes();
        outer:
        while (copied < size) {
            boolean mustWait = false;
            synchronized (LOCK) {
                int index = 0;
                long skip = 0;
                while (true) {
                    Message m = index < queue.size() ? nth(index) : null;
                    if (m == null) {
                        if (peek && copied > 0) break outer;
                        if (copied >= target) break outer;
                        if (error != null) {
                            failure = new LinuxException(takeError());
                            break outer;
                        }
                        if ((shutdown & RCV_SHUTDOWN) != 0) break outer;
                        if (deadline == 0) {
                            failure = new LinuxException(Errno.EAGAIN);
                            break outer;
                        }
                        mustWait = true;
                        break;
                    }
                    if (checkCredentials) {
                        if (!m.credentials.equals(creds)) break outer; // never glue messages from different writers
                    } else if (passcred) {
                        creds = m.credentials;
                        checkCredentials = true;
                    }
                    if (wantName && from == null) from = m.sender.address;
                    int chunk = (int) Math.min(m.remaining() - skip, size - copied);
                    MemorySegment.copy(m.data, (int) (m.consumed + skip), dst, ValueLayout.JAVA_BYTE, copied, chunk);
                    copied += chunk;
                    if (!peek) {
                        m.consumed += chunk;
                        if (m.files != null) {
                            files = m.files;
                            m.files = null;
                        }
                        if (m.remaining() > 0) break outer;
                        queue.removeFirst();
                        consumed(m, wakes);
                        if (files != null) break outer;
                    } else {
                        if (m.files != null) {
                            files = hold(m.files);
                            break outer;
                        }
                        index++;
                        skip = 0;
                    }
                    if (copied >= size) break outer;
                }
            }
            wakes.fire();
            if (!mustWait) continue;
            Wakeup r = await(w, wait, () -> !queue.isEmpty() || error != null || (shutdown & RCV_SHUTDOWN) != 0, deadline);
            if (r == Wakeup.INTERRUPTED) {
                failure = interrupted(deadline);
                break;
            }
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        wakes.fire();
        if (copied == 0 && failure != null) {
            dropFiles(files);
            throw failure;
        }
        if (passcred && creds == null) creds = new Ucred(0, 0, 0);
        return new Received(copied, 0, from, passcred ? creds : null, files);
    }

    private Message nth(int index) {
        if (index == 0) return queue.peekFirst();
        int i = 0;
        for (Message m : queue) if (i++ == index) return m;
        return null;
    }

    private Received receiveDatagram(Waiter w, MemorySegment dst, int msgFlags) {
        boolean peek = (msgFlags & MSG_PEEK) != 0;
        long deadline = deadline(nonBlocking(msgFlags), options.rcvTimeout);
        Message m;
        while (true) {
            synchronized (LOCK) {
                if (type == SOCK_SEQPACKET && state != State.CONNECTED) throw new LinuxException(Errno.ENOTCONN);
                if (error != null) throw new LinuxException(takeError());
                m = peek ? queue.peekFirst() : queue.pollFirst();
                if (m != null) break;
                if (deadline == 0) {
                    // A non-blocking seqpacket read of a shut-down connection is EOF, not EAGAIN.
                    if (type == SOCK_SEQPACKET && (shutdown & RCV_SHUTDOWN) != 0) return new Received(0, 0, null, null, null);
                    throw new LinuxException(Errno.EAGAIN);
                }
                if ((shutdown & RCV_SHUTDOWN) != 0) return new Received(0, 0, null, null, null);
                if (connectionBased() && state != State.CONNECTED && state != State.LISTENING) throw new LinuxException(Errno.ENOTCONN);
            }
            Wakeup r = await(w, wait, () -> !queue.isEmpty() || error != null || (shutdown & RCV_SHUTDOWN) != 0, deadline);
            if (r == Wakeup.INTERRUPTED) throw interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
        Wakes wakes = new Wakes();
        List<File> files;
        UnixAddress from;
        synchronized (LOCK) {
            if (!peek) {
                wakes.add(peerWait, Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND);
                consumed(m, wakes);
                files = m.files;
                m.files = null;
            } else {
                files = m.files == null ? null : hold(m.files);
            }
            from = m.sender.address;
        }
        wakes.fire();
        int len = m.data.length;
        long size = Math.min(dst.byteSize(), len);
        int outFlags = size < len ? MSG_TRUNC : 0;
        MemorySegment.copy(m.data, 0, dst, ValueLayout.JAVA_BYTE, 0, (int) size);
        long result = (msgFlags & MSG_TRUNC) != 0 ? len : size;
        return new Received(result, outFlags, from, options.passcred ? m.credentials : null, files);
    }

    private static void dropFiles(List<File> files) {
        if (files != null) for (File f : files) FdTable.dropReference(f);
    }

    /** Messages taken off a queue for good: their files lose the in-flight reference, pending connections are refused. */
    private static void dispose(List<Message> messages) {
        if (messages == null) return;
        Wakes wakes = new Wakes();
        synchronized (LOCK) {
            for (Message m : messages) consumed(m, wakes);
        }
        wakes.fire();
        for (Message m : messages) {
            dropFiles(m.files);
            m.files = null;
            if (m.connection != null) m.connection.close(true);
        }
    }

    // ---------------------------------------------------------------- the file

    /** unix_release_sock: the peer of a connection sees the end (ECONNRESET if data was left unread or it was never accepted). */
    private void close(boolean embryo) {
        Wakes wakes = new Wakes();
        List<Message> left;
        synchronized (LOCK) {
            if (dead) return;
            dead = true;
            names.forget(this);
            UnixSocket other = peer;
            if (other != null) {
                if (connectionBased()) {
                    if (!queue.isEmpty() || embryo) other.error = Errno.ECONNRESET;
                    other.shutdown = SHUTDOWN_MASK;
                    wakes.add(other.wait, 0);
                }
                peer = null;
            }
            state = State.UNCONNECTED;
            shutdown = SHUTDOWN_MASK;
            wakes.add(peerWait, 0);
            wakes.add(wait, 0);
            left = new ArrayList<>(queue);
            queue.clear();
        }
        wakes.fire();
        dispose(left);
    }

    @Override
    public void release() {
        close(false);
    }

    @Override
    public long read(Waiter waiter, MemorySegment dst) {
        Received r = receive(waiter, dst, 0, false);
        dropFiles(r.files());
        return r.result();
    }

    /** write(2) of 0 bytes on a datagram or seqpacket socket sends an empty message, as send(2) does. */
    @Override
    public boolean writesNothing() {
        return type != SOCK_STREAM;
    }

    @Override
    public long write(Waiter waiter, MemorySegment src) {
        Caller c = callers.apply(waiter);
        return send(waiter, src, null, null, null, c.messageCredentials(), 0);
    }

    /** read/write/sendmsg's EPIPE: only a stream socket raises SIGPIPE. */
    @Override
    public boolean epipeRaisesSigpipe() {
        return type == SOCK_STREAM;
    }

    public long inode() {
        return ino;
    }

    /** FIONREAD/SIOCINQ (unix_inq_len): EINVAL on a listener; all unread bytes of a connection, the next datagram's size. */
    @Override
    public int readableBytes() {
        synchronized (LOCK) {
            if (state == State.LISTENING) throw new LinuxException(Errno.EINVAL);
            if (type == SOCK_DGRAM) return queue.isEmpty() ? 0 : queue.peekFirst().data.length;
            long n = 0;
            for (Message m : queue) n += m.remaining();
            return (int) Math.min(n, Integer.MAX_VALUE);
        }
    }

    /** unix_ioctl: SIOCINQ (FIONREAD); the interface requests answer for lo as on any socket; others ENOTTY. */
    @Override
    public long ioctl(Waiter caller, int request, IoctlArg arg) {
        if (request == InetSocket.SIOCINQ) {
            arg.writeInt(readableBytes());
            return 0;
        }
        if (LoopbackInterface.handles(request)) return LoopbackInterface.ioctl(request, arg, false);
        throw new LinuxException(Errno.ENOTTY);
    }

    /** unix_poll for streams, unix_dgram_poll for the others. */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(wait);
        synchronized (LOCK) {
            int mask = 0;
            if (error != null) mask |= Poll.POLLERR;
            if (shutdown == SHUTDOWN_MASK) mask |= Poll.POLLHUP;
            if ((shutdown & RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
            if (!queue.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
            if (connectionBased() && state == State.UNCONNECTED) mask |= Poll.POLLHUP;
            boolean writable = state != State.LISTENING && wmem * 4 <= options.sndbuf;
            if (type != SOCK_STREAM && writable && peer != null && peer.peer != this && peer.queue.size() > MAX_DGRAM_QLEN) {
                writable = false;
                if (table != null) table.watch(peer.peerWait);
            }
            if (writable) mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
            return mask;
        }
    }
}
