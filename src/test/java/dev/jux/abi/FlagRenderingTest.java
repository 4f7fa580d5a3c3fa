package dev.jux.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected strings are strace 6.1's output on the development host for the same values. */
class FlagRenderingTest {
    @Test
    void openFlags() {
        assertEquals("O_RDONLY", OpenFlags.render(0));
        assertEquals("O_RDONLY|O_CLOEXEC", OpenFlags.render(OpenFlags.O_CLOEXEC));
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", OpenFlags.render(01101));
        assertEquals("O_RDONLY|O_NOFOLLOW|O_PATH|O_DIRECTORY", OpenFlags.render(010600000));
        assertEquals("O_RDWR|O_APPEND|O_NONBLOCK|O_DIRECTORY|0x80000000", OpenFlags.render(0x80010c02));
        assertEquals("O_RDWR|O_NOCTTY|O_SYNC|O_DIRECT|O_NOATIME|FASYNC", OpenFlags.render(04000002 | 010000 | 0400 | 040000 | 01000000 | 020000));
        assertEquals("O_RDWR|O_TMPFILE", OpenFlags.render(OpenFlags.O_TMPFILE | OpenFlags.O_RDWR));
        assertEquals("O_RDONLY|__O_TMPFILE", OpenFlags.render(OpenFlags.__O_TMPFILE));
        assertEquals("O_RDONLY|O_DSYNC|FASYNC", OpenFlags.render(0x3000));
        assertEquals("O_RDONLY|0x4", OpenFlags.render(4));
        assertEquals("O_ACCMODE|O_CREAT|O_EXCL|O_NOCTTY|O_TRUNC|O_APPEND|O_NONBLOCK|O_SYNC|O_DIRECT|O_LARGEFILE"
                + "|O_NOFOLLOW|O_NOATIME|O_CLOEXEC|O_PATH|O_TMPFILE|FASYNC|0xff80003c", OpenFlags.render(-1));
        assertEquals("0", OpenFlags.renderWithoutAccessMode(0));
        assertEquals("0x4 /* O_??? */", OpenFlags.renderWithoutAccessMode(4));
    }

    @Test
    void protection() {
        assertEquals("PROT_NONE", MmapFlags.renderProt(0));
        assertEquals("PROT_READ|PROT_WRITE", MmapFlags.renderProt(3));
        assertEquals("PROT_READ|0x100", MmapFlags.renderProt(0x101));
        assertEquals("0x10 /* PROT_??? */", MmapFlags.renderProt(0x10));
        assertEquals("PROT_READ|PROT_WRITE|PROT_EXEC|PROT_SEM|PROT_GROWSDOWN|PROT_GROWSUP|0xfcfffff0",
                MmapFlags.renderProt(0xffffffffL));
        assertEquals("PROT_GROWSDOWN|PROT_GROWSUP|0xfffffffffcfff000", MmapFlags.renderProt(0xfffffffffffff000L));
    }

    @Test
    void mapFlags() {
        assertEquals("MAP_PRIVATE|MAP_ANONYMOUS", MmapFlags.renderFlags(0x22));
        assertEquals("MAP_SHARED|MAP_ANONYMOUS|MAP_NORESERVE", MmapFlags.renderFlags(0x4021));
        assertEquals("MAP_FILE", MmapFlags.renderFlags(0));
        assertEquals("MAP_FILE|0x80", MmapFlags.renderFlags(0x80));
        assertEquals("0xf /* MAP_??? */", MmapFlags.renderFlags(0xf));
        assertEquals("MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT",
                MmapFlags.renderFlags(0x40022 | 21 << 26));
        assertEquals("MAP_SHARED_VALIDATE|MAP_32BIT|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN|MAP_LOCKED|MAP_STACK"
                        + "|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE|2<<MAP_HUGE_SHIFT",
                MmapFlags.renderFlags(0x3 | 0x100000 | 0x8000 | 0x20000 | 0x100 | 0x40000 | 0x40 | 0x2000 | 0x10000 | 0x80000 | 0x8000000));
        assertEquals("MAP_FILE|MAP_FIXED|MAP_ANONYMOUS|MAP_32BIT|MAP_NORESERVE|MAP_POPULATE|MAP_NONBLOCK|MAP_GROWSDOWN"
                + "|MAP_DENYWRITE|MAP_EXECUTABLE|MAP_LOCKED|MAP_STACK|MAP_HUGETLB|MAP_SYNC|MAP_FIXED_NOREPLACE"
                + "|0x3e00680|63<<MAP_HUGE_SHIFT", MmapFlags.renderFlags(0xfffffff0));
        assertEquals("MREMAP_MAYMOVE", MmapFlags.renderMremap(1));
        assertEquals("0x8 /* MREMAP_??? */", MmapFlags.renderMremap(8));
    }

    @Test
    void fileModes() {
        assertEquals("S_IFREG|0644", FileMode.render(0100644));
        assertEquals("S_IFDIR|S_ISVTX|0777", FileMode.render(041777));
        assertEquals("S_IFREG|S_ISUID|S_ISGID|0644", FileMode.render(0106644));
        assertEquals("S_IFREG|000", FileMode.render(0100000));
        assertEquals("S_IFLNK|0777", FileMode.render(0120777));
        assertEquals("S_ISUID|0755", FileMode.render(04755));
        assertEquals("000", FileMode.render(0));
        assertEquals("0170644", FileMode.render(0170644));
        assertEquals("0644", FileMode.octal(0644));
        assertEquals("000", FileMode.octal(0));
        assertEquals("0177777", FileMode.octal(-1));
        assertEquals("022", FileMode.octal(022));
    }

    @Test
    void deviceNumbers() {
        assertEquals("makedev(0x1, 0x3)", DeviceNumber.render(0x103));
        assertEquals("makedev(0x88, 0x1)", DeviceNumber.render(DeviceNumber.makedev(136, 1)));
        long big = DeviceNumber.makedev(0x12345, 0x6789a);
        assertEquals(0x12345, DeviceNumber.major(big));
        assertEquals(0x6789a, DeviceNumber.minor(big));
    }

    @Test
    void otherFlagSets() {
        assertEquals("R_OK|W_OK|X_OK|0x8", AccessMode.render(0xf));
        assertEquals("F_OK", AccessMode.render(0));
        assertEquals("0x8 /* ?_OK */", AccessMode.render(8));
        assertEquals("AT_NO_AUTOMOUNT|AT_EMPTY_PATH|0x6000", AtFlags.render(0x7800));
        assertEquals("0x2000 /* AT_??? */", AtFlags.render(0x2000));
        assertEquals("AT_SYMLINK_NOFOLLOW|AT_EACCESS|AT_EMPTY_PATH|0xffffecff", AtFlags.renderAccess(-1));
        assertEquals("AT_FDCWD", AtFlags.renderDirfd(-100));
        assertEquals("WNOHANG|WEXITED|WSTOPPED|WCONTINUED|WNOWAIT|__WCLONE|__WALL|__WNOTHREAD|0x1efffff0",
                WaitStatus.renderOptions(-1));
        assertEquals("0x100000 /* W??? */", WaitStatus.renderOptions(0x100000));
        assertEquals("GRND_INSECURE|0x40", RandomFlags.render(0x44));
        assertEquals("SA_RESTORER|SA_ONSTACK|SA_RESTART|SA_INTERRUPT|SA_NODEFER|SA_RESETHAND|SA_SIGINFO"
                + "|SA_NOCLDSTOP|SA_NOCLDWAIT|0xffffffff03fffff8", SignalAction.renderFlags(-1));
        assertEquals("0x7 /* SIG_??? */", SignalAction.renderHow(7));
        assertEquals("MADV_COLLAPSE", Madvise.render(25));
        assertEquals("0x1a /* MADV_??? */", Madvise.render(26));
        assertEquals("CLOCK_BOOTTIME", ClockId.render(7));
        assertEquals("0xfffffffe /* CLOCK_??? */", ClockId.render(-2));
        assertEquals("ARCH_REQ_XCOMP_PERM", ArchPrctl.render(0x1023));
        assertEquals("F_SEAL_SEAL", Fcntl.renderSeals(1));
        assertEquals("DN_ACCESS", Fcntl.renderNotify(1));
    }

    @Test
    void cloneFlags() {
        assertEquals("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD", CloneFlags.render(0x1200011));
        assertEquals("SIGCHLD", CloneFlags.render(17));
        assertEquals("0", CloneFlags.render(0));
        assertEquals("0x400000 /* CLONE_??? */|SIGCHLD", CloneFlags.render(0x400011));
        assertEquals("CLONE_PIDFD|CLONE_THREAD|99", CloneFlags.render(0x11000 | 99));
        assertEquals("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_PIDFD|CLONE_PTRACE|CLONE_VFORK|CLONE_PARENT"
                + "|CLONE_THREAD|CLONE_NEWNS|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID"
                + "|CLONE_UNTRACED|CLONE_CHILD_SETTID|CLONE_NEWCGROUP|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWUSER"
                + "|CLONE_NEWPID|CLONE_NEWNET|CLONE_IO|0xffffffff00400000", CloneFlags.render(~0xffL));
    }

    @Test
    void signalSets() {
        assertEquals("[]", SigSet.render(0));
        assertEquals("[INT RTMIN RT_2]", SigSet.render(2L | 1L << 31 | 1L << 33));
        assertEquals("~[INT RTMIN RT_2]", SigSet.render(~(2L | 1L << 31 | 1L << 33)));
        assertEquals("~[]", SigSet.render(-1));
        // strace switches to the complement at 42 of 64 signals.
        assertEquals('[', SigSet.render((1L << 41) - 1).charAt(0));
        assertEquals("~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 RT_21 RT_22 RT_23 RT_24 RT_25"
                + " RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32]", SigSet.render((1L << 42) - 1));
    }

    @Test
    void limits() {
        assertEquals("8192*1024", Rlimit.renderValue(8192 * 1024));
        assertEquals("1024", Rlimit.renderValue(1024));
        assertEquals("2*1024", Rlimit.renderValue(2048));
        assertEquals("1025", Rlimit.renderValue(1025));
        assertEquals("0", Rlimit.renderValue(0));
        assertEquals("RLIM64_INFINITY", Rlimit.renderValue(-1));
        assertEquals("18446744073709551614", Rlimit.renderValue(-2));
        assertEquals("RLIMIT_NOFILE", Rlimit.renderResource(7));
        assertEquals("0x63 /* RLIMIT_??? */", Rlimit.renderResource(99));
    }

    @Test
    void termiosWords() {
        assertEquals("ICRNL|IXON", Termios.renderIflag(0x500));
        assertEquals("", Termios.renderIflag(0));
        assertEquals("0x8000", Termios.renderIflag(0x8000));
        assertEquals("NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR", Termios.renderOflag(5));
        assertEquals("NL0|CR0|TAB0|BS0|VT0|FF0|", Termios.renderOflag(0));
        assertEquals("NL1|CR3|XTABS|BS1|VT1|FF1|OPOST|OLCUC|ONLCR|OCRNL|ONOCR|ONLRET|OFILL|OFDEL|0xffff0000",
                Termios.renderOflag(-1));
        assertEquals("B38400|CS8|CREAD", Termios.renderCflag(0xbf));
        assertEquals("B0|CS5|", Termios.renderCflag(0));
        assertEquals("B0|B600<<IBSHIFT|CS5|", Termios.renderCflag(0x80000));
        assertEquals("BOTHER|CS5|", Termios.renderCflag(0x1000));
        assertEquals("B4000000|B4000000<<IBSHIFT|CS8|CSTOPB|CREAD|PARENB|PARODD|HUPCL|CLOCAL|CMSPAR|CRTSCTS|0x2ff0e000",
                Termios.renderCflag(-1));
        assertEquals("ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE", Termios.renderLflag(0x8a3b));
        assertEquals("ISIG|ICANON|XCASE|ECHO|ECHOE|ECHOK|ECHONL|NOFLSH|IEXTEN|ECHOCTL|ECHOPRT|ECHOKE|FLUSHO|PENDIN"
                + "|TOSTOP|EXTPROC|0xfffe2000", Termios.renderLflag(-1));
    }

    @Test
    void ioctlRequests() {
        assertEquals("TCGETS", Ioctls.render(0x5401));
        assertEquals("SNDCTL_TMR_START or TCSETS", Ioctls.render(0x5402));
        assertEquals("TIOCGPTN", Ioctls.render(0x80045430L));
        assertEquals("_IOC(_IOC_READ|_IOC_WRITE, 0xff, 0xff, 0x3fff)", Ioctls.render(0x1ffffffffL));
        assertEquals("_IOC(_IOC_NONE, 0x12, 0x34, 0)", Ioctls.render(0x1234));
    }

    @Test
    void waitStatuses() {
        assertEquals("{WIFEXITED(s) && WEXITSTATUS(s) == 7}", WaitStatus.render(WaitStatus.exited(7)));
        assertEquals("{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}",
                WaitStatus.render(WaitStatus.signaled(Signal.SIGSEGV, true)));
        assertEquals("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTSTP}", WaitStatus.render(WaitStatus.stopped(Signal.SIGTSTP)));
        assertEquals("{WIFCONTINUED(s)}", WaitStatus.render(WaitStatus.CONTINUED));
    }

    @Test
    void auxvTypes() {
        assertEquals(AuxvType.AT_RANDOM, AuxvType.of(25));
        assertEquals(6, AuxvType.AT_PAGESZ.number());
        assertEquals(null, AuxvType.of(18));
    }
}
