package dev.jux.ipc;

/** One message of a queue: its type (> 0) and text. */
public record Message(long type, byte[] text) {
    public int size() {
        return text.length;
    }
}
