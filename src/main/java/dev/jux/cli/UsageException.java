package dev.jux.cli;

/** Bad command-line input: reported in one line, followed by the usage, exit status 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
