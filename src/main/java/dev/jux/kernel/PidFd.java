package dev.jux.kernel;

import dev.jux.abi.OpenFlags;
import dev.jux.abi.Poll;
import dev.jux.fs.epoll.AnonInodeFile;
import dev.jux.wait.PollTable;

/**
 * A process file descriptor (pidfd_open(2), clone's CLONE_PIDFD; kernel/pid.c's pidfd_fops):
 * it names one process for good, even after its pid is reaped. poll says POLLIN once the
 * process has exited and POLLIN|POLLHUP once it has been reaped (pidfd_poll); it has no read
 * or write. pidfd_send_signal, pidfd_getfd and waitid(P_PIDFD) act on {@link #process()}.
 */
public final class PidFd extends AnonInodeFile {
    private final ThreadGroup process;

    public PidFd(ThreadGroup process, int flags) {
        super(OpenFlags.O_RDWR | (flags & OpenFlags.O_NONBLOCK));
        this.process = process;
    }

    public ThreadGroup process() {
        return process;
    }

    /** True once the process has been reaped: its pid no longer names it. */
    boolean reaped() {
        return process.kernel().process(process.pid()) != process;
    }

    @Override
    public int poll(PollTable table) {
        if (table != null) table.watch(process.exitWaiters);
        if (reaped()) return Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLHUP;
        return process.isZombie() ? Poll.POLLIN | Poll.POLLRDNORM : 0;
    }

    @Override
    public boolean supportsPoll() {
        return true;
    }

    /** pidfd_show_fdinfo: the pid while the process exists (a zombie too), -1 once reaped; glibc's pidfd_getpid reads it. */
    @Override
    public String fdinfo() {
        int nr = reaped() ? -1 : process.pid();
        return "Pid:\t" + nr + "\nNSpid:\t" + nr + "\n";
    }

    @Override
    public String procName() {
        return "anon_inode:[pidfd]";
    }
}
