package dev.jux.fs.socket;

import dev.jux.fs.File;
import java.util.List;

/**
 * One queued unit of a unix socket's receive queue (Linux's sk_buff with its UNIXCB): data
 * with the sender's credentials and any files in flight, or, on a listener's queue, a
 * connection waiting for accept. Its true size counts against the sender's send buffer
 * (sk_wmem_alloc) until it is consumed or dropped.
 */
final class Message {
    /** Bytes a queued message costs beyond its data (Linux's sk_buff and skb_shared_info). */
    static final int OVERHEAD = 768;

    final byte[] data;
    int consumed;
    final UnixSocket sender;
    final Ucred credentials;
    /** Files in flight (each holding a reference, FdTable.holdReference), or null. */
    List<File> files;
    /** On a listener's queue: the server end of a connection not yet accepted. */
    final UnixSocket connection;
    final int trueSize;

    Message(byte[] data, UnixSocket sender, Ucred credentials, List<File> files, UnixSocket connection) {
        this.data = data;
        this.sender = sender;
        this.credentials = credentials;
        this.files = files;
        this.connection = connection;
        this.trueSize = data.length + OVERHEAD;
    }

    int remaining() {
        return data.length - consumed;
    }
}
