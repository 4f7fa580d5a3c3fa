package dev.jux.fs.socket;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.Poll;
import dev.jux.wait.PollTable;
import dev.jux.wait.Waiter;
import dev.jux.wait.Wakeup;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP socket on the loopback network (tcp(7)). There are no segments: a connection is two
 * sockets that point at each other, and a send copies bytes straight into the peer's
 * {@link StreamBuffer} (up to the peer's receive buffer, see {@link #capacity}). A connect finds the listener at once and
 * puts the server's end on its accept queue, so the client is established before accept, as
 * Linux's loopback handshake completes without the server's help. What Linux signals with
 * segments is done by touching the peer: shutdown(SHUT_WR) and close set the peer's
 * RCV_SHUTDOWN (a FIN); a close with unread data, a closed listener's unaccepted connections
 * and SO_LINGER with a zero timeout reset the peer (ECONNRESET); a send to a peer that has
 * closed is accepted and answered with a reset (the next call is EPIPE), as tcp_reset does in
 * CLOSE_WAIT. There is no TIME_WAIT.
 */
public final class TcpSocket extends InetSocket {
    /** tcp_wmem[1] and tcp_rmem[1]: the default SO_SNDBUF and SO_RCVBUF. */
    static final int DEFAULT_SNDBUF = 16384, DEFAULT_RCVBUF = 131072;
    /** How far an unread connection's bytes may pile up without SO_RCVBUF (tcp_rmem[2] is 6 MiB by default). */
    static final int AUTOTUNED_RCVBUF = 4 << 20;
    static final int SOMAXCONN = 4096;
    static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6,
            TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10, TCP_QUICKACK = 12,
            TCP_USER_TIMEOUT = 18, TCP_FASTOPEN = 23, TCP_NOTSENT_LOWAT = 25;

    enum State { CLOSED, LISTENING, CONNECTED }

    /** Where a connect stands for the next connect(2) call (inet_stream_connect's SS_CONNECTING). */
    private enum Pending { NONE, REPORT_CONNECTED, REPORT_FAILURE }

    // Guarded by net.lock.
    State state = State.CLOSED;
    private Pending pending = Pending.NONE;
    /** Was ever connected: a reset or finished connection reads EOF rather than ENOTCONN. */
    private boolean wasConnected;
    private TcpSocket peer;
    /** The peer closed: what we send is answered with a reset. */
    private boolean peerClosed;
    private InetName remote;
    private final StreamBuffer in = new StreamBuffer();
    private final ArrayDeque<TcpSocket> acceptQueue = new ArrayDeque<>();
    private int backlog;
    private boolean dead;

    public TcpSocket(Loopback net, int family, int flags, int uid, int gid) {
        super(net, family, flags, uid, gid, DEFAULT_SNDBUF, DEFAULT_RCVBUF);
    }

    @Override
    public int type() {
        return UnixSocket.SOCK_STREAM;
    }

    @Override
    public int protocol() {
        return IPPROTO_TCP;
    }

    @Override
    public boolean isListening() {
        synchronized (net.lock) {
            return state == State.LISTENING;
        }
    }

    @Override
    boolean canBind() {
        return state == State.CLOSED && !wasConnected;
    }

    @Override
    Integer protocolOptionDefault(int level, int name) {
        if (level != IPPROTO_TCP) return null;
        return switch (name) {
            case TCP_NODELAY, TCP_CORK, TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_USER_TIMEOUT, TCP_FASTOPEN -> 0;
            case TCP_MAXSEG -> 536;
            case TCP_KEEPIDLE -> 7200;
            case TCP_KEEPINTVL -> 75;
            case TCP_KEEPCNT -> 9;
            case TCP_SYNCNT -> 6;
            case TCP_LINGER2 -> 60;
            case TCP_QUICKACK -> 1;
            case TCP_NOTSENT_LOWAT -> -1;
            default -> null;
        };
    }

    @Override
    boolean isTcpBoolean(int name) {
        return name == TCP_NODELAY || name == TCP_CORK || name == TCP_QUICKACK;
    }

    @Override
    void checkOption(int level, int name, int v) {
        super.checkOption(level, name, v);
        if (level != IPPROTO_TCP) return;
        switch (name) {
            case TCP_KEEPIDLE, TCP_KEEPINTVL -> {
                if (v < 1 || v > 32767) throw new LinuxException(Errno.EINVAL);
            }
            case TCP_KEEPCNT -> {
                if (v < 1 || v > 127) throw new LinuxException(Errno.EINVAL);
            }
            case TCP_USER_TIMEOUT -> {
                if (v < 0) throw new LinuxException(Errno.EINVAL);
            }
            default -> {}
        }
    }

    // ---------------------------------------------------------------- connections

    @Override
    public byte[] peerName() {
        synchronized (net.lock) {
            if (state != State.CONNECTED || remote == null) throw new LinuxException(Errno.ENOTCONN);
            return remote.sockaddr(family);
        }
    }

    /** listen(2) (inet_listen): EINVAL unless closed or listening; binds an ephemeral port first if unbound. */
    @Override
    public void listen(int requested) {
        Wakes wakes = new Wakes();
        synchronized (net.lock) {
            if (state == State.LISTENING) {
                backlog = Integer.compareUnsigned(requested, SOMAXCONN) > 0 ? SOMAXCONN : requested;
                wakes.add(wait, 0);
            } else {
                if (state != State.CLOSED || wasConnected || pending != Pending.NONE) throw new LinuxException(Errno.EINVAL);
                boolean autobound = local == null;
                autobind(anyHost());
                try {
                    net.checkListen(this);
                } catch (LinuxException e) {
                    if (autobound) net.unbind(this);
                    throw e;
                }
                backlog = Integer.compareUnsigned(requested, SOMAXCONN) > 0 ? SOMAXCONN : requested;
                state = State.LISTENING;
            }
        }
        wakes.fire();
    }

    /**
     * connect(2) (inet_stream_connect, tcp_v4_connect/tcp_v6_connect): ECONNREFUSED when
     * nothing listens (a non-blocking connect says EINPROGRESS and leaves the error in
     * SO_ERROR), ENETUNREACH off the loopback network, EISCONN when connected or listening.
     * A non-blocking connect that succeeds still says EINPROGRESS, as the loopback handshake
     * is not done when Linux's connect returns; the next connect reports 0, then EISCONN.
     */
    @Override
    public void connect(Waiter w, byte[] raw) {
        if (raw.length < 2) throw new LinuxException(Errno.EINVAL);
        if (InetName.family(raw) == InetName.AF_UNSPEC) {
            disconnect();
            return;
        }
        synchronized (net.lock) {
            switch (pending) {
                case REPORT_CONNECTED -> {
                    pending = Pending.NONE;
                    if (state == State.CONNECTED) return;
                    Errno e = takeError();
                    throw new LinuxException(e != null ? e : Errno.ECONNABORTED);
                }
                case REPORT_FAILURE -> {
                    pending = Pending.NONE;
                    Errno e = takeError();
                    resetAfterFailure();
                    throw new LinuxException(e != null ? e : Errno.ECONNABORTED);
                }
                case NONE -> {
                    if (state != State.CLOSED || wasConnected) throw new LinuxException(Errno.EISCONN);
                }
            }
        }
        InetName to = destination(raw);
        boolean nonBlocking = nonBlocking(0);
        long deadline = UnixSocket.deadline(nonBlocking, options.sndTimeout);
        while (true) {
            Wakes wakes = new Wakes();
            TcpSocket listener;
            synchronized (net.lock) {
                if (state != State.CLOSED || wasConnected) throw new LinuxException(Errno.EISCONN);
                boolean autobound = local == null;
                InetName source = sourceFor(to);
                autobind(source.host());
                listener = net.listener(to);
                if (listener == null || (listener.shutdown & RCV_SHUTDOWN) != 0) {
                    if (autobound) net.unbind(this);
                    if (!nonBlocking) throw new LinuxException(Errno.ECONNREFUSED);
                    error = Errno.ECONNREFUSED;
                    shutdown = SHUTDOWN_MASK;
                    pending = Pending.REPORT_FAILURE;
                    wakes.add(wait, Poll.POLLERR | Poll.POLLHUP);
                } else if (listener.acceptQueue.size() <= listener.backlog || nonBlocking) {
                    if (local.isAny()) local = source.withPort(local.port());
                    establish(listener, to, wakes);
                    if (nonBlocking) pending = Pending.REPORT_CONNECTED;
                } else {
                    listener = listener.dead ? null : listener; // full: wait for room, as a dropped SYN is retried
                    if (autobound) net.unbind(this);
                }
            }
            wakes.fire();
            synchronized (net.lock) {
                if (pending != Pending.NONE) throw new LinuxException(Errno.EINPROGRESS);
                if (state == State.CONNECTED) return;
            }
            if (listener == null) continue;
            TcpSocket l = listener;
            Wakeup r = await(w, l.wait, () -> l.dead || l.state != State.LISTENING || l.acceptQueue.size() <= l.backlog, deadline);
            if (r == Wakeup.INTERRUPTED) throw UnixSocket.interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) throw new LinuxException(Errno.EINPROGRESS);
        }
    }

    /** The connection: a server-side socket joins the listener's accept queue, both ends established. With net.lock held. */
    private void establish(TcpSocket listener, InetName to, Wakes wakes) {
        TcpSocket server = new TcpSocket(net, listener.family, 0, 0, 0);
        server.inherit(listener);
        server.options.setReuse(listener.options.reuseAddr(), listener.options.reusePort());
        InetName serverHost = to.host();
        server.local = serverHost.withPort(listener.local.port());
        net.adopt(server);
        server.remote = local;
        server.peer = this;
        server.state = State.CONNECTED;
        server.wasConnected = true;
        remote = to;
        peer = server;
        state = State.CONNECTED;
        wasConnected = true;
        shutdown = 0;
        listener.acceptQueue.add(server);
        wakes.add(listener.wait, Poll.POLLIN | Poll.POLLRDNORM);
        wakes.add(wait, Poll.POLLOUT | Poll.POLLWRNORM);
    }

    /** After a failed non-blocking connect has been reported: the socket may connect again (tcp_disconnect). */
    private void resetAfterFailure() {
        shutdown = 0;
        error = null;
    }

    /** connect(AF_UNSPEC): a connection is aborted (the peer sees a reset) and the socket may connect again. */
    private void disconnect() {
        Wakes wakes = new Wakes();
        synchronized (net.lock) {
            if (state == State.LISTENING) {
                stopListening(wakes);
            } else if (state == State.CONNECTED) {
                if (peer != null) peer.reset(wakes);
                peer = null;
                in.clear();
            }
            if (!portLocked) net.unbind(this);
            state = State.CLOSED;
            wasConnected = false;
            pending = Pending.NONE;
            peerClosed = false;
            remote = null;
            shutdown = 0;
            wakes.add(wait, 0);
        }
        wakes.fire();
    }

    /** The peer reset the connection (tcp_reset): ECONNRESET, both directions shut, not connected. With net.lock held. */
    private void reset(Wakes wakes) {
        error = Errno.ECONNRESET;
        closedByPeer(wakes);
    }

    private void closedByPeer(Wakes wakes) {
        shutdown = SHUTDOWN_MASK;
        state = State.CLOSED;
        peer = null;
        wakes.add(wait, Poll.POLLERR | Poll.POLLHUP | Poll.POLLIN | Poll.POLLOUT);
    }

    /** accept4(2) (inet_accept): EINVAL unless listening; {@code newFlags} may hold O_NONBLOCK for the new file. */
    public TcpSocket accept(Waiter w, int newFlags, int newUid, int newGid) {
        long deadline = UnixSocket.deadline(nonBlocking(0), options.rcvTimeout);
        while (true) {
            Wakes wakes = new Wakes();
            TcpSocket got = null;
            synchronized (net.lock) {
                if (state != State.LISTENING) throw new LinuxException(Errno.EINVAL);
                got = acceptQueue.poll();
                if (got != null) {
                    got.setOwner(newFlags, newUid, newGid);
                    wakes.add(wait, Poll.POLLOUT);
                } else {
                    if (error != null) throw new LinuxException(takeError());
                    if (deadline == 0) throw new LinuxException(Errno.EAGAIN);
                }
            }
            wakes.fire();
            if (got != null) return got;
            Wakeup r = await(w, wait, () -> !acceptQueue.isEmpty() || error != null || state != State.LISTENING, deadline);
            if (r == Wakeup.INTERRUPTED) throw UnixSocket.interrupted(deadline);
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
    }

    /** A closed or shut-down listener resets the connections nobody accepted. With net.lock held. */
    private void stopListening(Wakes wakes) {
        for (TcpSocket s : acceptQueue) {
            if (s.peer != null) s.peer.reset(wakes);
            s.peer = null;
            s.dead = true;
            net.unbind(s);
        }
        acceptQueue.clear();
        state = State.CLOSED;
        wakes.add(wait, 0);
    }

    /**
     * shutdown(2) (inet_shutdown, tcp_shutdown): SHUT_WR sends the peer its end of file. An
     * unconnected socket is ENOTCONN (the bits are still set, as Linux does); a listener stops
     * listening on SHUT_RD.
     */
    @Override
    public void shutdown(int how) {
        if (how < 0 || how > 2) throw new LinuxException(Errno.EINVAL);
        int mode = how + 1;
        Wakes wakes = new Wakes();
        boolean notConnected = false;
        synchronized (net.lock) {
            switch (state) {
                case LISTENING -> {
                    if ((mode & RCV_SHUTDOWN) != 0) stopListening(wakes);
                }
                case CLOSED -> {
                    shutdown |= mode;
                    notConnected = true;
                    wakes.add(wait, 0);
                }
                case CONNECTED -> {
                    shutdown |= mode;
                    if ((mode & SEND_SHUTDOWN) != 0 && peer != null) {
                        peer.shutdown |= RCV_SHUTDOWN;
                        wakes.add(peer.wait, Poll.POLLIN | Poll.POLLRDHUP);
                    }
                    wakes.add(wait, 0);
                }
            }
        }
        wakes.fire();
        if (notConnected) throw new LinuxException(Errno.ENOTCONN);
    }

    // ---------------------------------------------------------------- data

    /**
     * What this socket's receive buffer holds at most: SO_RCVBUF once the program set it,
     * else what Linux's receive autotuning lets a busy loopback connection grow to.
     */
    private long capacity() {
        return options.rcvbufLocked ? options.rcvbuf : AUTOTUNED_RCVBUF;
    }

    /** Room in the peer's receive buffer. With net.lock held. */
    private long room() {
        return peer == null ? 0 : Math.max(0, peer.capacity() - peer.in.size());
    }

    /**
     * tcp_sendmsg: EPIPE when not connected or shut down for writing (the syscall layer
     * raises SIGPIPE), a pending error (ECONNRESET) first. Blocks while the peer's buffer is
     * full; a non-blocking send sends what fits (EAGAIN if nothing).
     */
    @Override
    public long send(Waiter w, MemorySegment data, byte[] raw, int msgFlags) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0 && data.byteSize() == 0) throw new LinuxException(Errno.EINVAL);
        long len = data.byteSize(), sent = 0;
        long deadline = UnixSocket.deadline(nonBlocking(msgFlags), options.sndTimeout);
        while (true) {
            Wakes wakes = new Wakes();
            boolean mustWait = false;
            synchronized (net.lock) {
                if (error != null) {
                    if (sent > 0) return sent;
                    throw new LinuxException(takeError());
                }
                if (state != State.CONNECTED || (shutdown & SEND_SHUTDOWN) != 0) {
                    if (sent > 0) return sent;
                    throw new LinuxException(Errno.EPIPE);
                }
                if (peerClosed) {
                    // The closed peer answers with a reset: this send succeeds, the next one is EPIPE.
                    error = Errno.EPIPE;
                    closedByPeer(wakes);
                    sent = len;
                } else {
                    long n = Math.min(len - sent, room());
                    if (n > 0) {
                        peer.in.append(data, sent, (int) n);
                        sent += n;
                        wakes.add(peer.wait, Poll.POLLIN | Poll.POLLRDNORM);
                    } else if (sent == len) {
                        // a zero-length send
                    } else if (deadline == 0) {
                        if (sent == 0) throw new LinuxException(Errno.EAGAIN);
                    } else {
                        mustWait = true;
                    }
                }
            }
            wakes.fire();
            if (sent >= len || (!mustWait && deadline == 0)) return sent;
            if (!mustWait) continue;
            Wakeup r = await(w, wait, () -> room() > 0 || error != null || state != State.CONNECTED || peerClosed
                    || (shutdown & SEND_SHUTDOWN) != 0, deadline);
            if (r == Wakeup.INTERRUPTED) {
                if (sent > 0) return sent;
                throw UnixSocket.interrupted(deadline);
            }
            if (r == Wakeup.TIMED_OUT) {
                if (sent > 0) return sent;
                throw new LinuxException(Errno.EAGAIN);
            }
        }
    }

    /**
     * tcp_recvmsg: ENOTCONN unless connected (or once connected: end of file then), MSG_PEEK,
     * MSG_WAITALL, SO_RCVLOWAT, MSG_TRUNC (discards), MSG_DONTWAIT; a pending error after the
     * data. MSG_OOB is EINVAL: there is never urgent data.
     */
    @Override
    public Received receive(Waiter w, MemorySegment dst, int msgFlags) {
        if ((msgFlags & UnixSocket.MSG_OOB) != 0) throw new LinuxException(Errno.EINVAL);
        if ((msgFlags & MSG_ERRQUEUE) != 0) throw new LinuxException(Errno.EAGAIN);
        boolean peek = (msgFlags & UnixSocket.MSG_PEEK) != 0;
        boolean discard = (msgFlags & UnixSocket.MSG_TRUNC) != 0;
        long size = dst.byteSize();
        long target = (msgFlags & UnixSocket.MSG_WAITALL) != 0 && !peek ? size : Math.min(options.rcvlowat, size);
        if (target < 1) target = 1;
        long deadline = UnixSocket.deadline(nonBlocking(msgFlags), options.rcvTimeout);
        long copied = 0;
        while (true) {
            Wakes wakes = new Wakes();
            LinuxException failure = null;
            boolean done = false;
            synchronized (net.lock) {
                if (state == State.LISTENING || (state == State.CLOSED && !wasConnected)) throw new LinuxException(Errno.ENOTCONN);
                long n = in.take(discard ? null : dst, copied, size - copied, peek);
                if (n > 0 && !peek && peer != null) wakes.add(peer.wait, Poll.POLLOUT | Poll.POLLWRNORM);
                copied += n;
                if (copied >= target || (peek && copied > 0) || (size == 0 && in.size() > 0)) {
                    done = true;
                } else if (error != null) {
                    if (copied == 0) failure = new LinuxException(takeError());
                    done = true;
                } else if ((shutdown & RCV_SHUTDOWN) != 0) {
                    done = true;
                } else if (deadline == 0) {
                    if (copied == 0) failure = new LinuxException(Errno.EAGAIN);
                    done = true;
                }
            }
            wakes.fire();
            if (failure != null) throw failure;
            if (done) return new Received(copied, 0, null, null, null);
            Wakeup r = await(w, wait, () -> in.size() > 0 || error != null || (shutdown & RCV_SHUTDOWN) != 0 || state != State.CONNECTED, deadline);
            if (r == Wakeup.INTERRUPTED) {
                if (copied > 0) return new Received(copied, 0, null, null, null);
                throw UnixSocket.interrupted(deadline);
            }
            if (r == Wakeup.TIMED_OUT) deadline = 0;
        }
    }

    // ---------------------------------------------------------------- the file

    /** tcp_close: a listener resets its queue; unread data (or SO_LINGER 0) resets the peer, else it gets end of file. */
    @Override
    public void release() {
        Wakes wakes = new Wakes();
        synchronized (net.lock) {
            if (dead) return;
            dead = true;
            if (state == State.LISTENING) stopListening(wakes);
            if (peer != null) {
                if (in.size() > 0 || options.lingersWithZeroTimeout()) {
                    peer.reset(wakes);
                } else {
                    peer.shutdown |= RCV_SHUTDOWN;
                    peer.peerClosed = true;
                    peer.peer = null;
                    wakes.add(peer.wait, Poll.POLLIN | Poll.POLLRDHUP);
                }
                peer = null;
            }
            in.clear();
            net.unbind(this);
            state = State.CLOSED;
            shutdown = SHUTDOWN_MASK;
            wakes.add(wait, 0);
        }
        wakes.fire();
    }

    /** FIONREAD/SIOCINQ: EINVAL on a listener, else the unread bytes. */
    @Override
    public int readableBytes() {
        synchronized (net.lock) {
            if (state == State.LISTENING) throw new LinuxException(Errno.EINVAL);
            return (int) Math.min(in.size(), Integer.MAX_VALUE);
        }
    }

    @Override
    int unsentBytes() {
        synchronized (net.lock) {
            if (state == State.LISTENING) throw new LinuxException(Errno.EINVAL);
            return 0;
        }
    }

    /** tcp_poll. */
    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(wait);
        synchronized (net.lock) {
            if (state == State.LISTENING) return acceptQueue.isEmpty() ? 0 : Poll.POLLIN | Poll.POLLRDNORM;
            int mask = 0;
            if (error != null) mask |= Poll.POLLERR;
            if (shutdown == SHUTDOWN_MASK || state == State.CLOSED) mask |= Poll.POLLHUP;
            if ((shutdown & RCV_SHUTDOWN) != 0) mask |= Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDHUP;
            if (in.size() > 0) mask |= Poll.POLLIN | Poll.POLLRDNORM;
            boolean writable = (shutdown & SEND_SHUTDOWN) != 0 || state != State.CONNECTED || peerClosed
                    || (peer != null && room() * 4 >= peer.capacity()) || (peer != null && room() > 0 && peer.in.size() == 0);
            if (writable) mask |= Poll.POLLOUT | Poll.POLLWRNORM;
            return mask;
        }
    }
}
