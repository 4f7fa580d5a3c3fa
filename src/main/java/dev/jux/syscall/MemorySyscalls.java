package dev.jux.syscall;

import dev.jux.abi.Errno;
import dev.jux.abi.SyscallNumbers;
import dev.jux.abi.LinuxException;
import dev.jux.abi.OpenFlags;
import dev.jux.fs.File;
import dev.jux.fs.devfs.CharDevices;
import dev.jux.fs.vfs.VfsFile;
import dev.jux.kernel.MappedFile;
import dev.jux.kernel.Personas;
import dev.jux.kernel.Task;
import dev.jux.mm.AddressSpace;
import dev.jux.mm.Vma;
import static dev.jux.abi.MmapFlags.*;
import static dev.jux.abi.Madvise.*;

/** Memory system calls: the program break, anonymous and file mappings. */
final class MemorySyscalls {
    private MemorySyscalls() {}

    /** Every flag MAP_SHARED_VALIDATE accepts (Linux's LEGACY_MAP_MASK plus the validated ones). */
    static final int MAP_KNOWN = 0x1fff7f;

    static void register(SyscallTable t) {
        t.add(SyscallNumbers.BRK, Support.FULL, "", MemorySyscalls::brk);
        t.add(SyscallNumbers.MMAP, Support.PARTIAL, "anonymous and regular-file mappings, private (copy-on-write) or shared (coherent with read/write), /dev/zero; private file pages do not see later writes to the file; MAP_FIXED_NOREPLACE, MAP_POPULATE, MAP_LOCKED (RLIMIT_MEMLOCK), MAP_NORESERVE, MAP_GROWSDOWN (grows on faults); RLIMIT_AS/DATA and the overcommit heuristic (ENOMEM); no MAP_HUGETLB, MAP_32BIT placement", MemorySyscalls::mmap);
        t.add(SyscallNumbers.MSYNC, Support.PARTIAL, "writes dirty shared file pages back (MS_ASYNC as MS_SYNC); MS_INVALIDATE does not re-read the file", MemorySyscalls::msync);
        t.add(SyscallNumbers.MUNMAP, Support.FULL, "", MemorySyscalls::munmap);
        t.add(SyscallNumbers.MREMAP, Support.PARTIAL, "grow/shrink in place, MAYMOVE, FIXED, DONTUNMAP, old_size 0 (a second mapping of shared pages)", MemorySyscalls::mremap);
        t.add(SyscallNumbers.MINCORE, Support.PARTIAL, "present pages; untouched private file pages count as absent (Linux reports its page cache)", MemorySyscalls::mincore);
        t.add(SyscallNumbers.MPROTECT, Support.PARTIAL, "PROT_GROWSDOWN/UP are accepted but do not extend the range", MemorySyscalls::mprotect);
        t.add(SyscallNumbers.MADVISE, Support.PARTIAL, "DONTNEED/DONTNEED_LOCKED (zero-fill or re-read the file), REMOVE (shared anonymous), DONTFORK/DOFORK, WIPEONFORK/KEEPONFORK, POPULATE_READ/WRITE; FREE keeps the pages (Linux frees them only under pressure); the other hints are recorded (smaps VmFlags) or accepted; no HWPOISON", MemorySyscalls::madvise);
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

    /** Implements mmap(2): anonymous memory and regular files, private or shared. */
    static long mmap(Task t, Args a) {
        long addr = a.a0(), length = a.a1(), offset = a.a5();
        int prot = a.i(2), flags = a.i(3), fd = a.i(4);
        // Linux's order: the offset (x86's sys_mmap), the fd (ksys_mmap_pgoff), then do_mmap.
        if ((offset & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        File file = (flags & MAP_ANONYMOUS) == 0 ? t.group().files().get(fd) : null;
        if (file != null && file.isPathOnly()) throw new LinuxException(Errno.EBADF);
        if (length == 0) throw new LinuxException(Errno.EINVAL);
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) throw new LinuxException(Errno.EINVAL);
        if (type == MAP_SHARED_VALIDATE && (flags & ~MAP_KNOWN) != 0) throw new LinuxException(Errno.EOPNOTSUPP);
        int vprot = withReadImpliesExec(t, vmaProt(prot));
        long len = AddressSpace.pageUp(length);
        if (len <= 0) throw new LinuxException(Errno.ENOMEM);
        // file_mmap_ok: the mapping must end within MAX_LFS_FILESIZE (the offset is unsigned).
        if (file != null && Long.compareUnsigned(offset, Long.MAX_VALUE - len) > 0) throw new LinuxException(Errno.EOVERFLOW);
        MappedFile backing = file != null ? backing(t, file, type != MAP_PRIVATE, vprot) : null;
        AddressSpace.Placement placement = (flags & MAP_FIXED_NOREPLACE) != 0 ? AddressSpace.Placement.FIXED_NOREPLACE
                : (flags & MAP_FIXED) != 0 ? AddressSpace.Placement.FIXED : AddressSpace.Placement.HINT;
        int vmaFlags = (type != MAP_PRIVATE ? Vma.SHARED : 0) | ((flags & MAP_GROWSDOWN) != 0 ? Vma.GROWS_DOWN : 0)
                | ((flags & MAP_NORESERVE) != 0 ? Vma.NORESERVE : 0) | ((flags & MAP_LOCKED) != 0 ? Vma.LOCKED : 0);
        if ((flags & MAP_LOCKED) != 0 || t.memory().locksFuture()) {
            if ((flags & MAP_LOCKED) != 0 && !MemoryLockSyscalls.privileged(t)
                    && t.group().limits().soft(dev.jux.abi.Rlimit.RLIMIT_MEMLOCK) == 0) {
                throw new LinuxException(Errno.EPERM);
            }
            MemoryLockSyscalls.checkFutureLock(t, len);
        }
        if (backing != null && type != MAP_PRIVATE && (file.statusFlags() & OpenFlags.O_ACCMODE) != OpenFlags.O_RDWR) {
            vmaFlags |= Vma.NO_WRITE;
        }
        // memfd_check_seals_mmap: a write-sealed file allows shared mappings that can never write.
        if (backing != null && type != MAP_PRIVATE && file instanceof VfsFile vf && vf.inode().seals() != null
                && vf.inode().seals().forbidsSharedWrite()) {
            if ((vprot & Vma.WRITE) != 0) throw new LinuxException(Errno.EPERM);
            vmaFlags |= Vma.NO_WRITE;
        }
        // Anonymous memory (and /dev/zero's) ignores the offset.
        long start = t.memory().map(addr, length, vprot, placement, vmaFlags, "", backing, backing != null ? offset : 0);
        if ((flags & MAP_POPULATE) != 0) t.memory().populateIfPossible(start, start + len);
        return start;
    }

    /**
     * What a file mapping reads from, checked as Linux's do_mmap checks it: the fd must be
     * open for reading (and for writing too, for a shared writable mapping), else EACCES; then
     * files without an mmap operation (pipes, directories, most devices) are ENODEV. Returns
     * null for /dev/zero, whose mappings are anonymous memory.
     */
    private static MappedFile backing(Task t, File file, boolean shared, int vprot) {
        int mode = file.statusFlags() & OpenFlags.O_ACCMODE;
        if (shared && (vprot & Vma.WRITE) != 0 && mode != OpenFlags.O_RDWR) throw new LinuxException(Errno.EACCES);
        if (mode == OpenFlags.O_WRONLY) throw new LinuxException(Errno.EACCES);
        if (!(file instanceof VfsFile v)) throw new LinuxException(Errno.ENODEV);
        if (v.device() != null) {
            if (v.stat().rdev() == CharDevices.ZERO) return null;
            throw new LinuxException(Errno.ENODEV);
        }
        if (!v.inode().isRegular()) throw new LinuxException(Errno.ENODEV);
        return new MappedFile(v.location(), t.group().root());
    }

    /** Implements msync(2): writes shared file pages back (MS_ASYNC too: Jux's page cache is not coherent with read(2)). */
    static long msync(Task t, Args a) {
        long addr = a.a0(), len = a.a1();
        int flags = a.i(2);
        if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        if ((flags & MS_ASYNC) != 0 && (flags & MS_SYNC) != 0) throw new LinuxException(Errno.EINVAL);
        long end = addr + AddressSpace.pageUp(len);
        if (Long.compareUnsigned(end, addr) < 0 || AddressSpace.pageUp(len) < 0) throw new LinuxException(Errno.ENOMEM);
        if (end == addr) return 0;
        t.memory().sync(addr, end - addr);
        return 0;
    }

    /** Implements mremap(2). */
    static long mremap(Task t, Args a) {
        long addr = a.a0(), oldLen = a.a1(), newLen = a.a2(), newAddr = a.a4();
        int flags = a.i(3);
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) throw new LinuxException(Errno.EINVAL);
        boolean mayMove = (flags & MREMAP_MAYMOVE) != 0;
        if ((flags & MREMAP_FIXED) != 0 && !mayMove) throw new LinuxException(Errno.EINVAL);
        if ((flags & MREMAP_DONTUNMAP) != 0 && (!mayMove || oldLen != newLen)) throw new LinuxException(Errno.EINVAL);
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        oldLen = AddressSpace.pageUp(oldLen);
        newLen = AddressSpace.pageUp(newLen);
        if (newLen == 0) throw new LinuxException(Errno.EINVAL);
        boolean fixed = (flags & MREMAP_FIXED) != 0;
        if (newLen < 0 || Long.compareUnsigned(newLen, AddressSpace.TASK_SIZE) > 0) {
            throw new LinuxException(fixed ? Errno.EINVAL : Errno.ENOMEM);
        }
        if (oldLen < 0 || Long.compareUnsigned(oldLen, AddressSpace.TASK_SIZE) > 0) throw new LinuxException(Errno.EFAULT);
        if (fixed && (newAddr < 0 || newAddr > AddressSpace.TASK_SIZE)) throw new LinuxException(Errno.EINVAL);
        return t.memory().remap(addr, oldLen, newLen, mayMove, fixed ? newAddr : -1, (flags & MREMAP_DONTUNMAP) != 0);
    }

    /** Implements mincore(2). */
    static long mincore(Task t, Args a) {
        long addr = a.a0(), len = a.a1(), vec = a.a2();
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        long end = addr + AddressSpace.pageUp(len);
        if (len < 0 || end < addr || end > AddressSpace.TASK_SIZE) throw new LinuxException(Errno.ENOMEM);
        if (len == 0) return 0;
        long pages = (end - addr) / AddressSpace.PAGE;
        if (vec < 0 || vec + pages > AddressSpace.TASK_SIZE) throw new LinuxException(Errno.EFAULT);    // access_ok
        byte[] resident = t.memory().residency(addr, len);
        t.memory().write(vec, resident);
        return 0;
    }

    /** Implements munmap(2). */
    static long munmap(Task t, Args a) {
        t.memory().unmap(a.a0(), a.a1());
        return 0;
    }

    /** Implements mprotect(2). */
    static long mprotect(Task t, Args a) {
        if ((a.a0() & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        t.memory().protect(a.a0(), a.a1(), withReadImpliesExec(t, vmaProt(a.i(2))));
        return 0;
    }

    /**
     * The READ_IMPLIES_EXEC personality: PROT_READ also means PROT_EXEC for mmap and mprotect
     * (do_mmap, do_mprotect_pkey; Jux has no noexec mounts, the one exception Linux makes).
     */
    private static int withReadImpliesExec(Task t, int vprot) {
        return (vprot & Vma.READ) != 0 && Personas.readImpliesExec(t) ? vprot | Vma.EXEC : vprot;
    }

    /** Implements madvise(2): Linux's checks in its order, then the walk over the VMAs (AddressSpace.advise). */
    static long madvise(Task t, Args a) {
        long addr = a.a0(), len = a.a1();
        int advice = a.i(2);
        if (!known(advice)) throw new LinuxException(Errno.EINVAL);
        if ((addr & (AddressSpace.PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        long aligned = AddressSpace.pageUp(len);
        if (len != 0 && aligned == 0) throw new LinuxException(Errno.EINVAL);
        if (Long.compareUnsigned(addr + aligned, addr) < 0) throw new LinuxException(Errno.EINVAL);
        if (aligned == 0) return 0;
        t.memory().advise(addr, aligned, advice);
        return 0;
    }

    /** madvise_behavior_valid (MADV_HWPOISON and MADV_SOFT_OFFLINE are not offered: EINVAL). */
    private static boolean known(int advice) {
        return switch (advice) {
            case MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_REMOVE,
                 MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
                 MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT,
                 MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_DONTNEED_LOCKED, MADV_COLLAPSE -> true;
            default -> false;
        };
    }
}
