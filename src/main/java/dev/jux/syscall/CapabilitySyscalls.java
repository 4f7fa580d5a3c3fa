package dev.jux.syscall;

import dev.jux.abi.Capabilities;
import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;
import dev.jux.kernel.ThreadGroup;
import dev.jux.mm.AddressSpace;

/**
 * capget(2) and capset(2) (kernel/capability.c, security/commoncap.c's cap_capset) over Jux's
 * capability model (kernel/Credentials: all capabilities permitted while a uid is 0, effective
 * while the euid is; none inheritable). capget reports it; capset accepts what keeps it and
 * refuses with Linux's EPERM what Linux refuses; a change Linux would make (dropping
 * capabilities, raising inheritable ones) is EPERM too, because Jux keeps no per-process sets.
 */
final class CapabilitySyscalls {
    private CapabilitySyscalls() {}

    /** struct __user_cap_data_struct: effective, permitted, inheritable, 32 bits each, per word. */
    private static final int DATA_SIZE = 12;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.CAPGET, Support.FULL, "", (task, a) -> capget(task, a.a0(), a.a1()));
        t.add(SyscallNumbers.CAPSET, Support.PARTIAL,
                "sets that keep the process's capabilities succeed; dropping capabilities or raising inheritable ones is EPERM "
                        + "(no per-process capability sets yet: every capability follows the uids)",
                (task, a) -> capset(task, a.a0(), a.a1()));
    }

    /**
     * cap_validate_magic: the words a version moves; for an unknown version the preferred one
     * (v3) is written back and the call is EINVAL.
     */
    private static int words(AddressSpace mem, long header) {
        int version = mem.readInt(header);
        return switch (version) {
            case Capabilities.VERSION_1 -> 1;
            case Capabilities.VERSION_2, Capabilities.VERSION_3 -> 2;
            default -> {
                mem.writeInt(header, Capabilities.VERSION_3);
                throw new LinuxException(Errno.EINVAL);
            }
        };
    }

    /**
     * capget: with a NULL data pointer only probes the version (an unknown one answers 0 after
     * writing v3); pid 0 is the caller, another pid that process (ESRCH), a negative one EINVAL.
     */
    static long capget(Task t, long header, long data) {
        AddressSpace mem = t.memory();
        int words;
        try {
            words = words(mem, header);
        } catch (LinuxException e) {
            if (data == 0 && e.errno() == Errno.EINVAL) return 0;
            throw e;
        }
        if (data == 0) return 0;
        int pid = mem.readInt(header + 4);
        if (pid < 0) throw new LinuxException(Errno.EINVAL);
        ThreadGroup target = pid == 0 ? t.group() : t.kernel().process(pid);
        if (target == null) {
            var task = t.kernel().task(pid);
            if (task == null) throw new LinuxException(Errno.ESRCH);
            target = task.group();
        }
        Credentials c = target.credentials();
        long effective = c.effectiveCapabilities(), permitted = c.permittedCapabilities();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(words * DATA_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w = 0; w < words; w++) {
            b.putInt((int) (effective >>> (32 * w))).putInt((int) (permitted >>> (32 * w))).putInt(0);
        }
        mem.write(data, b.array());
        return 0;
    }

    /**
     * capset: only the caller itself (EPERM for another pid); then cap_capset's rules: the new
     * inheritable set within the old inheritable and permitted ones (no CAP_SETPCAP in
     * effective) and the bounding set, the new permitted within the old, the new effective
     * within the new permitted.
     */
    static long capset(Task t, long header, long data) {
        AddressSpace mem = t.memory();
        int words = words(mem, header);
        int pid = mem.readInt(header + 4);
        if (pid != 0 && pid != t.group().pid()) throw new LinuxException(Errno.EPERM);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(mem.read(data, words * DATA_SIZE)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long effective = 0, permitted = 0, inheritable = 0;
        for (int w = 0; w < words; w++) {
            effective |= Integer.toUnsignedLong(b.getInt()) << (32 * w);
            permitted |= Integer.toUnsignedLong(b.getInt()) << (32 * w);
            inheritable |= Integer.toUnsignedLong(b.getInt()) << (32 * w);
        }
        effective &= Capabilities.ALL;
        permitted &= Capabilities.ALL;
        inheritable &= Capabilities.ALL;
        Credentials c = t.group().credentials();
        long oldPermitted = c.permittedCapabilities(), oldEffective = c.effectiveCapabilities(), oldInheritable = 0;
        boolean setpcap = (oldEffective & (1L << CAP_SETPCAP)) != 0;
        if (!setpcap && (inheritable & ~(oldInheritable | oldPermitted)) != 0) throw new LinuxException(Errno.EPERM);
        if ((inheritable & ~(oldInheritable | Capabilities.ALL)) != 0) throw new LinuxException(Errno.EPERM);
        if ((permitted & ~oldPermitted) != 0) throw new LinuxException(Errno.EPERM);
        if ((effective & ~permitted) != 0) throw new LinuxException(Errno.EPERM);
        if (effective != oldEffective || permitted != oldPermitted || inheritable != oldInheritable) {
            throw new LinuxException(Errno.EPERM, "capset: Jux cannot change a process's capability sets yet");
        }
        return 0;
    }

    private static final int CAP_SETPCAP = 8;
}
