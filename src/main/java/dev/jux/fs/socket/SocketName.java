package dev.jux.fs.socket;

/** A socket's address as getsockname/recvfrom report it: the sockaddr bytes of its family. */
public interface SocketName {
    byte[] sockaddr();
}
