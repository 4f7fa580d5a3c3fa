package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.abi.SyscallNumbers;
import dev.jux.kernel.Credentials;
import dev.jux.kernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.UnaryOperator;

/**
 * The uid/gid system calls (kernel/sys.c, kernel/groups.c). The rules live in
 * kernel/Credentials; these only decode and copy. Ids are uid_t: unsigned 32 bits, returned
 * zero-extended as Linux does.
 */
final class CredentialSyscalls {
    private CredentialSyscalls() {}

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.GETUID, Support.FULL, "", (task, a) -> id(task.group().credentials().uid()));
        t.add(SyscallNumbers.GETEUID, Support.FULL, "", (task, a) -> id(task.group().credentials().euid()));
        t.add(SyscallNumbers.GETGID, Support.FULL, "", (task, a) -> id(task.group().credentials().gid()));
        t.add(SyscallNumbers.GETEGID, Support.FULL, "", (task, a) -> id(task.group().credentials().egid()));
        t.add(SyscallNumbers.GETRESUID, Support.FULL, "", (task, a) -> {
            Credentials c = task.group().credentials();
            return putIds(task, a, c.uid(), c.euid(), c.suid());
        });
        t.add(SyscallNumbers.GETRESGID, Support.FULL, "", (task, a) -> {
            Credentials c = task.group().credentials();
            return putIds(task, a, c.gid(), c.egid(), c.sgid());
        });
        String caps = "privilege is euid 0 (capabilities are not separate yet)";
        t.add(SyscallNumbers.SETUID, Support.FULL, caps, (task, a) -> change(task, c -> c.setuid(a.i(0))));
        t.add(SyscallNumbers.SETGID, Support.FULL, caps, (task, a) -> change(task, c -> c.setgid(a.i(0))));
        t.add(SyscallNumbers.SETREUID, Support.FULL, caps, (task, a) -> change(task, c -> c.setreuid(a.i(0), a.i(1))));
        t.add(SyscallNumbers.SETREGID, Support.FULL, caps, (task, a) -> change(task, c -> c.setregid(a.i(0), a.i(1))));
        t.add(SyscallNumbers.SETRESUID, Support.FULL, caps, (task, a) -> change(task, c -> c.setresuid(a.i(0), a.i(1), a.i(2))));
        t.add(SyscallNumbers.SETRESGID, Support.FULL, caps, (task, a) -> change(task, c -> c.setresgid(a.i(0), a.i(1), a.i(2))));
        t.add(SyscallNumbers.SETFSUID, Support.FULL, caps, (task, a) -> id(task.group().changeCredentials(c -> c.setfsuid(a.i(0))).fsuid()));
        t.add(SyscallNumbers.SETFSGID, Support.FULL, caps, (task, a) -> id(task.group().changeCredentials(c -> c.setfsgid(a.i(0))).fsgid()));
        t.add(SyscallNumbers.GETGROUPS, Support.FULL, "", CredentialSyscalls::getgroups);
        t.add(SyscallNumbers.SETGROUPS, Support.FULL, caps, CredentialSyscalls::setgroups);
    }

    private static long id(int id) {
        return Integer.toUnsignedLong(id);
    }

    private static long change(Task t, UnaryOperator<Credentials> transition) {
        t.group().changeCredentials(transition);
        return 0;
    }

    /** getres[ug]id: three put_user calls in order; the first bad pointer is EFAULT (earlier ones stay written). */
    private static long putIds(Task t, Args a, int r, int e, int s) {
        t.memory().writeInt(a.a0(), r);
        t.memory().writeInt(a.a1(), e);
        t.memory().writeInt(a.a2(), s);
        return 0;
    }

    /** Implements getgroups(2): size 0 returns the count; a smaller non-zero size is EINVAL. */
    static long getgroups(Task t, Args a) {
        int size = a.i(0);
        if (size < 0) throw new LinuxException(Errno.EINVAL);
        int[] groups = t.group().credentials().groups();
        if (size == 0) return groups.length;
        if (groups.length > size) throw new LinuxException(Errno.EINVAL);
        if (groups.length > 0) {
            ByteBuffer b = ByteBuffer.allocate(4 * groups.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int g : groups) b.putInt(g);
            t.memory().write(a.a1(), b.array());
        }
        return groups.length;
    }

    /** Implements setgroups(2): EPERM without CAP_SETGID, then EINVAL past NGROUPS_MAX, then EFAULT, then EINVAL for gid -1. */
    static long setgroups(Task t, Args a) {
        if (!t.group().credentials().isRoot()) throw new LinuxException(Errno.EPERM);
        int size = a.i(0);
        if (Integer.toUnsignedLong(size) > Credentials.NGROUPS_MAX) throw new LinuxException(Errno.EINVAL);
        int[] list = new int[size];
        if (size > 0) {
            ByteBuffer b = ByteBuffer.wrap(t.memory().read(a.a1(), 4 * size)).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < size; k++) list[k] = b.getInt();
        }
        return change(t, c -> c.setgroups(list));
    }
}
