package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import static dev.jux.abi.MmapFlags.*;
import static dev.jux.abi.Madvise.*;

/** Memory system calls: the program break and anonymous mappings. */
final class MemorySyscalls {
    private MemorySyscalls() {}

    /** Every flag MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK plus the validated ones). */
    static final int MAP_KNOWN = 0x1fff7f;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.BRK, Support.FULL, "", MemorySyscalls::brk);
        t.add(SyscallNumbers.MMAP, Support.PARTIAL, "anonymous mappings only; files arrive with issue 4, sharing across fork with issue 5", MemorySyscalls::mmap);
        t.add(SyscallNumbers.MUNMAP, Support.FULL, "", MemorySyscalls::munmap);
        t.add(SyscallNumbers.MPROTECT, Support.PARTIAL, "PROT_GROWSDOWN/UP are accepted but do not extend the range", MemorySyscalls::mprotect);
        t.add(SyscallNumbers.MADVISE, Support.PARTIAL, "DONTNEED drops pages; other advice is accepted as a hint (issue 5)", MemorySyscalls::madvise);
    }

    /** Implements brk(2): returns the new break, or the old one if it cannot move. */
    static long brk(Task t, Args a) {
        return t.memory().brk(a.a0());
    }

    private static int vmaProt(int prot) {
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) != 0) {
            throw new LinuxException(Errno.EINVAL);
        }
        return prot & (Vma.READ | Vma.WRITE | Vma.EXEC);
    }

    /** Implements mmap(2) for anonymous memory; file mappings fail as Linux fails them for unmappable files. */
    static long mmap(Task t, Args a) {
        long addr = a.a0(), length = a.a1(), offset = a.a5();
        int prot = a.i(2), flags = a.i(3), fd = a.i(4);
        if (length == 0) throw new LinuxException(Errno.EINVAL);
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) throw new LinuxException(Errno.EINVAL);
        if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        if ((offset & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        int vprot = vmaProt(prot);
        if (AddressSpace.pageUp(length) <= 0) throw new LinuxException(Errno.ENOMEM);
        if ((flags & MAP_ANONYMOUS) == 0) {
            t.group().files().get(fd);               // EBADF first, as Linux checks the fd
            throw new LinuxException(Errno.ENODEV);  // the only files are streams, which cannot be mapped
        }
        AddressSpace.Placement placement = (flags & MAP_FIXED_NOREPLACE) != 0 ? AddressSpace.Placement.FIXED_NOREPLACE
                : (flags & MAP_FIXED) != 0 ? AddressSpace.Placement.FIXED : AddressSpace.Placement.HINT;
        int vmaFlags = (type != MAP_PRIVATE ? Vma.SHARED : 0) | ((flags & MAP_GROWSDOWN) != 0 ? Vma.GROWS_DOWN : 0);
        long start = t.memory().map(addr, length, vprot, placement, vmaFlags, "");
        if ((flags & MAP_POPULATE) != 0) t.memory().populate(start, start + AddressSpace.pageUp(length));
        return start;
    }

    /** Implements munmap(2). */
    static long munmap(Task t, Args a) {
        t.memory().unmap(a.a0(), a.a1());
        return 0;
    }

    /** Implements mprotect(2). */
    static long mprotect(Task t, Args a) {
        if ((a.a0() & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        t.memory().protect(a.a0(), a.a1(), vmaProt(a.i(2)));
        return 0;
    }

    /** Implements madvise(2). */
    static long madvise(Task t, Args a) {
        long addr = a.a0(), len = a.a1();
        int advice = a.i(2);
        if ((addr & (AddressSpace.PAGE - 1)) != 0 || len < 0) throw new LinuxException(Errno.EINVAL);
        if (len == 0) return 0;
        switch (advice) {
            case MADV_DONTNEED -> t.memory().discard(addr, len);
            case MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_FREE, MADV_REMOVE,
                 MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE,
                 MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK,
                 MADV_COLD, MADV_PAGEOUT -> {
                if (!t.memory().vmasCover(addr, len)) throw new LinuxException(Errno.ENOMEM);
            }
            default -> throw new LinuxException(Errno.EINVAL);
        }
        return 0;
    }
}
