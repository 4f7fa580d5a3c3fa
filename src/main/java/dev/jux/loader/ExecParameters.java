package dev.jux.loader;

import java.util.List;

/**
 * Everything exec needs besides the file: the strings for the new stack and the values of the
 * auxiliary vector that come from the process and the machine.
 */
public record ExecParameters(List<byte[]> argv, List<byte[]> envp, byte[] execfn,
                             int uid, int euid, int gid, int egid, boolean secure,
                             long hwcap, long hwcap2, long minSignalStackSize, long rlimitStack,
                             byte[] random) {
}
