package dev.jux.platform.kvm;

/** /dev/kvm is missing, not accessible, or lacks a feature Jux needs. The message says which and what to do. */
public final class KvmUnavailableException extends RuntimeException {
    public KvmUnavailableException(String message) {
        super(message);
    }
}
