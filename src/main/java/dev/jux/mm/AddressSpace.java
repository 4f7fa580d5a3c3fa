package dev.jux.mm;

import dev.jux.abi.Errno;
import dev.jux.abi.LinuxException;
import dev.jux.platform.GuestRam;
import dev.jux.platform.Platform;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's user address space: its VMAs, its page table and its program break. Pages are
 * filled in on demand (a page fault, or a kernel access through {@link UserMemory}), several
 * at a time, because every fault is a VM exit that costs tens of microseconds on our KVM.
 *
 * <p>Layout, fixed (Jux does not randomize; documented in docs/memory.md): user space ends at
 * {@link #TASK_SIZE}, the stack sits just below it, mmap allocates top-down from
 * {@link #MMAP_BASE}, the heap starts after the program's last segment.
 */
public final class AddressSpace implements UserMemory {
    public static final long PAGE = 4096;
    public static final long TASK_SIZE = 0x7ffffffff000L;
    public static final long MMAP_BASE = 0x7ffff7fff000L;
    /** Linux's default vm.mmap_min_addr: nothing is ever mapped below it. */
    public static final long MMAP_MIN = 0x10000;
    /**
     * Pages filled in around a faulting address (an aligned window): each fault is a VM exit
     * of ~40 us here, so 64 pages at a time took touching 256 MiB from 502 to 370 ms.
     */
    static final int FAULT_AROUND_PAGES = 64;
    private static final long FAULT_AROUND = FAULT_AROUND_PAGES * PAGE;
    /** Linux's default stack_guard_gap: 256 pages kept free below a stack. */
    private static final long STACK_GUARD_GAP = 256 * PAGE;

    public enum Placement { HINT, FIXED, FIXED_NOREPLACE }

    /** RESOLVED, or the signal Linux sends: SIGSEGV (MAPERR, ACCERR) or SIGBUS (BUS_ADRERR, past a file's end). */
    public enum FaultResult { RESOLVED, MAPERR, ACCERR, SIGBUS }

    private final Platform platform;
    private final FrameAllocator frames;
    private final GuestRam ram;
    private final PageTable pages;
    private final VmaMap vmas = new VmaMap();
    private long brkStart, brk;
    /** Processes using this address space: 1, or more while a vfork child borrows it. */
    private int users = 1;
    /** Flags every new mapping gets: LOCKED (and LOCK_ON_FAULT) after mlockall(MCL_FUTURE). */
    private int defaultFlags;
    private MemoryLimits limits = MemoryLimits.NONE;

    public AddressSpace(Platform platform, FrameAllocator frames) {
        this.platform = platform;
        this.frames = frames;
        this.ram = frames.ram();
        this.pages = new PageTable(frames, platform.kernelPml4Entries());
    }

    /**
     * The resource limits mappings are checked against: the owning process's rlimits. Only
     * the first owner's count (a vfork child borrowing this address space does not replace them).
     */
    public synchronized void adoptLimits(MemoryLimits owner) {
        if (limits == MemoryLimits.NONE) limits = owner;
    }

    public long pageTableRoot() {
        return pages.root();
    }

    /** The CPUs that run on this address space, and the host thread of each (its task's). */
    private final java.util.Map<dev.jux.platform.Context, Thread> cpus = new java.util.HashMap<>();

    /** {@code cpu} runs this address space from now on, on the calling thread: points it at the page tables. */
    public synchronized void attach(dev.jux.platform.Context cpu) {
        cpus.put(cpu, Thread.currentThread());
        cpu.setPageTableRoot(pages.root());
    }

    public synchronized void detach(dev.jux.platform.Context cpu) {
        cpus.remove(cpu);
    }

    /**
     * Begins a change that makes entries less permissive or replaces frames, which a CPU's
     * cached translations would not see. Where the platform prefers it and the one CPU running
     * this address space is the caller's own (a single-threaded process in a system call or
     * fault), the change is made on copies of the tables it touches ({@link PageTable#startCopying})
     * and {@link #endChange} points the CPU at the new tree; otherwise endChange has every
     * CPU's translations dropped.
     */
    private void beginChange() {
        if (platform.prefersFreshTables() && cpus.size() == 1 && cpus.containsValue(Thread.currentThread())) {
            pages.startCopying();
        }
    }

    private void endChange(boolean changed) {
        long[] replaced = pages.stopCopying();
        if (replaced.length > 0) {
            for (dev.jux.platform.Context cpu : cpus.keySet()) cpu.setPageTableRoot(pages.root());
            retire(replaced);
            releaseUnmapped(false);   // the one CPU (the caller's, in the kernel) is on the new tables
        } else if (changed) {
            platform.invalidateTranslations();
            releaseUnmapped(true);
        }
    }

    /**
     * Data frames the change in progress took out of the page tables (munmap, MADV_DONTNEED, a
     * copy-on-write break), released by {@link #endChange}: while another thread of this
     * process may still run on a translation cached before the change, the frame must not be
     * given to another mapping, as Linux's munmap returns only after its TLB shootdown.
     */
    private long[] unmapped = new long[16];
    private int unmappedCount;

    /** Frame {@code frame} left the page tables in this change: released once no CPU can use a stale translation to it. */
    private void releaseAfterChange(long frame) {
        if (unmappedCount == unmapped.length) unmapped = java.util.Arrays.copyOf(unmapped, 2 * unmappedCount);
        unmapped[unmappedCount++] = frame;
    }

    /** Releases the frames {@link #releaseAfterChange} collected: through the platform's retirement if other CPUs may hold translations to them, else now. */
    private void releaseUnmapped(boolean maybeCached) {
        if (unmappedCount == 0) return;
        long[] gone = java.util.Arrays.copyOf(unmapped, unmappedCount);
        unmappedCount = 0;
        if (unmapped.length > 1024) unmapped = new long[16];
        Runnable release = () -> {
            for (long frame : gone) frames.release(frame);
        };
        if (maybeCached) platform.releaseAfterInvalidation(gone.length, release);
        else release.run();
    }

    public static long pageUp(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    public static long pageDown(long v) {
        return v & -PAGE;
    }

    // ---- mappings ----

    /**
     * Creates an anonymous mapping (zero-filled pages). Returns its address. Linux's rules:
     * without MAP_FIXED the address is only a hint; MAP_FIXED replaces whatever was there;
     * MAP_FIXED_NOREPLACE fails with EEXIST instead. With {@link Vma#SHARED} in
     * {@code vmaFlags} the pages are shared with fork children (MAP_SHARED|MAP_ANONYMOUS).
     */
    public synchronized long map(long addr, long length, int prot, Placement placement, int vmaFlags, String name) {
        return map(addr, length, prot, placement, vmaFlags, name, null, 0);
    }

    /**
     * Creates a mapping of {@code file} from byte {@code offset} (page-aligned), or an
     * anonymous one if {@code file} is null. Private file pages are read from the file when
     * first touched and copied on write; shared ones ({@link Vma#SHARED}) are the file's
     * {@link SharedPages}, the same frames for every shared mapping of the file. Bytes of the
     * last page past the end of the file read as zero; a page wholly past it gives SIGBUS.
     */
    public synchronized long map(long addr, long length, int prot, Placement placement, int vmaFlags, String name,
                                 FileBacking file, long offset) {
        if (length <= 0) throw new LinuxException(Errno.EINVAL);
        if ((offset & (PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        long len = pageUp(length);
        if (len <= 0 || len > TASK_SIZE) throw new LinuxException(Errno.ENOMEM);
        long start = chooseStart(addr, len, placement);
        vmaFlags |= defaultFlags;
        checkGrowth(start, start + len, prot, vmaFlags, file);
        SharedPages shared = null;
        if ((vmaFlags & Vma.SHARED) != 0) {
            if (file != null) {
                shared = frames.pageCache().acquire(file);
            } else {
                shared = SharedPages.anonymous(frames);
                shared.attach();
            }
        }
        try {
            if (placement != Placement.HINT) unmapRange(start, start + len);
            vmas.insert(new Vma(start, start + len, prot, vmaFlags, name, file, offset, shared));
        } finally {
            // The VMA holds the object now; drop the hold taken while it was being inserted.
            if (shared != null) shared.detach();
        }
        if ((vmaFlags & (Vma.LOCKED | Vma.LOCK_ON_FAULT)) == Vma.LOCKED) populateIfPossible(start, start + len);
        return start;
    }

    /**
     * shmat's mapping (ipc/shm.c: do_shmat): {@code pages}, a System V segment of
     * {@code size} bytes, mapped shared from offset 0 at {@code addr} (0: the kernel picks;
     * otherwise fixed, where without {@code replace}, SHM_REMAP, any mapping in the way is
     * EINVAL). {@code prot} without WRITE also keeps mprotect from adding it (NO_WRITE).
     */
    public synchronized long attachShared(long addr, long size, int prot, boolean replace, String name, SharedPages pages) {
        long len = pageUp(size);
        if (len <= 0 || len > TASK_SIZE) throw new LinuxException(Errno.ENOMEM);
        if (addr != 0 && !replace) {
            // do_shmat: an address whose end wraps is EINVAL; an intersection (with the size itself, not the rounded one) too.
            if (Long.compareUnsigned(addr + size, addr) < 0) throw new LinuxException(Errno.EINVAL);
            if (addr <= TASK_SIZE - len && !vmas.overlapping(addr, addr + size).isEmpty()) throw new LinuxException(Errno.EINVAL);
        }
        Placement placement = addr == 0 ? Placement.HINT : Placement.FIXED;
        long start = chooseStart(addr, len, placement);
        int flags = Vma.SHARED | defaultFlags | ((prot & Vma.WRITE) == 0 ? Vma.NO_WRITE : 0);
        checkGrowth(start, start + len, prot, flags | Vma.NORESERVE, null);
        if (placement != Placement.HINT) unmapRange(start, start + len);
        vmas.insert(new Vma(start, start + len, prot, flags, name, null, 0, pages));
        if ((flags & (Vma.LOCKED | Vma.LOCK_ON_FAULT)) == Vma.LOCKED) populateIfPossible(start, start + len);
        return start;
    }

    /**
     * shmdt(addr) (ipc/shm.c: ksys_shmdt): unmaps the first VMA at or above {@code addr} of an
     * object with {@link VmaHooks} whose offset says it was attached at {@code addr}, then the
     * other pieces of that attachment (a split one) up to the object's size. Returns false if
     * there was none (EINVAL).
     */
    public synchronized boolean unmapAttachment(long addr) {
        if (addr < 0 || addr >= TASK_SIZE) return false;
        Vma first = null;
        for (Vma v : vmas.overlapping(addr, TASK_SIZE)) {
            if (v.start() >= addr && attachedAt(v, addr)) {
                first = v;
                break;
            }
        }
        if (first == null) return false;
        SharedPages pages = first.shared();
        long size = pageUp(pages.hooks().size());
        unmapRange(first.start(), first.end());
        for (Vma v : vmas.overlapping(first.end(), addr + size)) {
            if (v.end() - addr > size) break;
            if (v.shared() == pages && attachedAt(v, addr)) unmapRange(v.start(), v.end());
        }
        return true;
    }

    /** {@code v} maps a counted object (System V shared memory) from the offset an attachment at {@code addr} gives it. */
    private static boolean attachedAt(Vma v, long addr) {
        return v.shared() != null && v.shared().hooks() != null && v.offset() == v.start() - addr;
    }

    /**
     * Linux's checks before a new mapping of [start, end) replaces what is there: RLIMIT_AS
     * over all mappings, RLIMIT_DATA over private writable ones (may_expand_vm), and the
     * overcommit heuristic (vm.overcommit_memory 0): one accountable mapping may not exceed
     * guest RAM. Accountable: private writable, or shared anonymous, without MAP_NORESERVE.
     */
    private void checkGrowth(long start, long end, int prot, int flags, FileBacking file) {
        long added = (end - start) - mappedBytes(start, end, false);
        if (exceeds(totalBytes(false) + added, limits.addressSpace())) throw new LinuxException(Errno.ENOMEM);
        if (isData(prot, flags)) {
            long addedData = (end - start) - mappedBytes(start, end, true);
            if (exceeds(totalBytes(true) + addedData, limits.data())) throw new LinuxException(Errno.ENOMEM);
        }
        boolean accountable = (flags & Vma.NORESERVE) == 0
                && ((flags & Vma.SHARED) == 0 ? (prot & Vma.WRITE) != 0 : file == null);
        if (accountable && (end - start) / PAGE > frames.totalFrames()) throw new LinuxException(Errno.ENOMEM);
    }

    /** Linux's is_data_mapping: private, writable, not a stack. */
    private static boolean isData(int prot, int flags) {
        return (prot & Vma.WRITE) != 0 && (flags & (Vma.SHARED | Vma.GROWS_DOWN)) == 0;
    }

    /** {@code bytes} over an rlimit (unsigned; RLIM_INFINITY never is). */
    private static boolean exceeds(long bytes, long limit) {
        return Long.compareUnsigned(bytes, limit) > 0;
    }

    /** Bytes of all VMAs (VmSize), or of the data ones (VmData). */
    private long totalBytes(boolean dataOnly) {
        long n = 0;
        for (Vma v : vmas.all()) {
            if (!dataOnly || isData(v.prot(), v.flags())) n += v.length();
        }
        return n;
    }

    /** Bytes of [start, end) inside some VMA (or some data VMA). */
    private long mappedBytes(long start, long end, boolean dataOnly) {
        long n = 0;
        for (Vma v : vmas.overlapping(start, end)) {
            if (!dataOnly || isData(v.prot(), v.flags())) n += Math.min(v.end(), end) - Math.max(v.start(), start);
        }
        return n;
    }

    private long chooseStart(long addr, long len, Placement placement) {
        if (placement != Placement.HINT) {
            if ((addr & (PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
            // get_unmapped_area: beyond TASK_SIZE (unsigned: a "negative" address too) is ENOMEM, then mmap_min_addr's EPERM.
            if (Long.compareUnsigned(addr, TASK_SIZE - len) > 0) throw new LinuxException(Errno.ENOMEM);
            if (addr < MMAP_MIN) throw new LinuxException(Errno.EPERM);
            if (placement == Placement.FIXED_NOREPLACE && !vmas.overlapping(addr, addr + len).isEmpty()) {
                throw new LinuxException(Errno.EEXIST);
            }
            return addr;
        }
        long hint = pageDown(addr);
        if (hint != 0 && hint < MMAP_MIN) hint = MMAP_MIN;    // Linux's round_hint_to_min
        if (hint >= MMAP_MIN && hint <= TASK_SIZE - len && vmas.overlapping(hint, hint + len).isEmpty()) {
            return hint;
        }
        long start = vmas.findGapBelow(MMAP_BASE, len, MMAP_MIN);
        if (start < 0) throw new LinuxException(Errno.ENOMEM);
        return start;
    }

    /**
     * munmap(2): removes every mapping in the range; unmapped holes are fine, as on Linux. A
     * range that leaves user space is EINVAL (Linux: start > TASK_SIZE or len > TASK_SIZE - start).
     */
    public synchronized void unmap(long addr, long length) {
        if ((addr & (PAGE - 1)) != 0 || length <= 0) throw new LinuxException(Errno.EINVAL);
        if (addr < 0 || addr > TASK_SIZE || length > TASK_SIZE - addr) throw new LinuxException(Errno.EINVAL);
        unmapRange(addr, addr + pageUp(length));
    }

    private void unmapRange(long start, long end) {
        boolean[] changed = {false};
        beginChange();
        try {
            clearRange(start, end, changed);
        } finally {
            endChange(changed[0]);
        }
    }

    /**
     * Removes the VMAs of [start, end) and their pages, setting {@code changed[0]} once a
     * present entry is cleared. munmap writes a shared file mapping's pages back (Jux's page
     * cache is not coherent with read(2), so this is when other readers of the file see them).
     */
    private void clearRange(long start, long end, boolean[] changed) {
        for (Vma v : vmas.carve(start, end)) {
            if (v.shared() != null) v.shared().writeBack(v.pageIndex(v.start()), v.length() / PAGE);
            pages.forEach(v.start(), v.end(), (va, old) -> {
                pages.set(va, 0);
                releaseAfterChange(old & PageTable.ADDRESS_MASK);
                changed[0] = true;
            });
        }
    }

    /**
     * mprotect(2): ENOMEM if any page of the range is unmapped. As on Linux, which changes one
     * VMA after another, the mapped pages before the first hole keep their new protection.
     */
    public synchronized void protect(long addr, long length, int prot) {
        if ((addr & (PAGE - 1)) != 0) throw new LinuxException(Errno.EINVAL);
        if (length == 0) return;
        long end = addr + pageUp(length);
        if (end <= addr) throw new LinuxException(Errno.ENOMEM);
        long mapped = vmas.mappedUpTo(addr, end);
        if ((prot & Vma.WRITE) != 0) {
            for (Vma v : vmas.overlapping(addr, mapped)) {
                if ((v.flags() & Vma.NO_WRITE) != 0) throw new LinuxException(Errno.EACCES);
            }
        }
        if (mapped > addr) protectMapped(addr, mapped, prot);
        if (mapped < end) throw new LinuxException(Errno.ENOMEM);
    }

    private void protectMapped(long addr, long end, int prot) {
        boolean[] changed = {false};
        beginChange();
        try {
            for (Vma nv : rewrite(addr, end, v -> v.withProt(prot))) {
                pages.forEach(nv.start(), nv.end(), (va, old) -> {
                    long frame = old & PageTable.ADDRESS_MASK;
                    pages.set(va, prot == 0 ? frame | PageTable.NO_EXECUTE : frame | leafFlags(nv, va, frame, false));
                    changed[0] = true;
                });
            }
        } finally {
            endChange(changed[0]);
        }
    }

    /**
     * Replaces the VMAs of [start, end) (split at the edges) by {@code change} of each; returns
     * the new ones. Each new VMA enters before the old one leaves ({@link VmaMap#rewrite}), so
     * a shared object never drops to no users and an attachment count never passes 0.
     */
    private List<Vma> rewrite(long start, long end, java.util.function.UnaryOperator<Vma> change) {
        return vmas.rewrite(start, end, change);
    }

    /**
     * madvise(MADV_DONTNEED): drops the pages of [start, end) but keeps the mappings, so the
     * next access reads zeros (private anonymous memory), the file again (a private file
     * mapping) or the shared object's pages. ENOMEM if part of the range is unmapped; as on
     * Linux, whose madvise walks every VMA of the range first, the mapped parts are dropped
     * all the same.
     */
    public synchronized void discard(long start, long length) {
        advise(start, length, dev.jux.abi.Madvise.MADV_DONTNEED);
    }

    /**
     * madvise(2) over [start, start+length) (page-aligned, advice already known valid),
     * VMA by VMA as Linux's madvise_walk_vmas: an unmapped part is ENOMEM once the mapped
     * parts are done; a VMA the advice does not apply to is EINVAL (or EACCES) at once, the
     * VMAs before it keep the advice.
     */
    public synchronized void advise(long start, long length, int advice) {
        long end = userEnd(start, length);
        boolean[] changed = {false};
        beginChange();
        try {
            for (Vma v : vmas.overlapping(start, end)) {
                adviseOne(v, Math.max(v.start(), start), Math.min(v.end(), end), advice, changed);
            }
        } finally {
            endChange(changed[0]);
        }
        if (end != start + pageUp(length) || !vmas.covers(start, end)) throw new LinuxException(Errno.ENOMEM);
    }

    /**
     * The end of [start, start+length) within user space, for calls whose range may be any
     * 64-bit value (madvise, mlock): no VMA lies at or above TASK_SIZE, so a range that starts
     * there is ENOMEM, and one that runs past it ends there (the caller then reports ENOMEM).
     */
    private static long userEnd(long start, long length) {
        if (start < 0 || start >= TASK_SIZE) throw new LinuxException(Errno.ENOMEM);
        long end = start + pageUp(length);
        return end < start || end > TASK_SIZE ? TASK_SIZE : end;
    }

    private void adviseOne(Vma v, long from, long to, int advice, boolean[] changed) {
        boolean locked = (v.flags() & Vma.LOCKED) != 0;
        boolean privateAnonymous = v.file() == null && v.shared() == null;
        switch (advice) {
            case dev.jux.abi.Madvise.MADV_DONTNEED, dev.jux.abi.Madvise.MADV_DONTNEED_LOCKED -> {
                if (locked && advice == dev.jux.abi.Madvise.MADV_DONTNEED) throw new LinuxException(Errno.EINVAL);
                changed[0] |= dropPages(from, to);
            }
            // Linux frees MADV_FREE pages only under memory pressure; until then they keep
            // their contents, which is what Jux does with them.
            case dev.jux.abi.Madvise.MADV_FREE -> {
                if (locked || !privateAnonymous) throw new LinuxException(Errno.EINVAL);
            }
            case dev.jux.abi.Madvise.MADV_REMOVE -> {
                if (locked || privateAnonymous) throw new LinuxException(Errno.EINVAL);
                if (v.shared() == null || (v.prot() & Vma.WRITE) == 0) throw new LinuxException(Errno.EACCES);
                changed[0] |= dropPages(from, to);
                // A hole punched in shared anonymous memory reads as zeros afterwards.
                if (v.file() == null) v.shared().drop(v.pageIndex(from), (to - from) / PAGE);
            }
            case dev.jux.abi.Madvise.MADV_COLD, dev.jux.abi.Madvise.MADV_PAGEOUT -> {
                if (locked) throw new LinuxException(Errno.EINVAL);
            }
            case dev.jux.abi.Madvise.MADV_DONTFORK -> setFlags(from, to, Vma.DONT_FORK, 0);
            case dev.jux.abi.Madvise.MADV_DOFORK -> setFlags(from, to, 0, Vma.DONT_FORK);
            case dev.jux.abi.Madvise.MADV_WIPEONFORK -> {
                if (!privateAnonymous) throw new LinuxException(Errno.EINVAL);
                setFlags(from, to, Vma.WIPE_ON_FORK, 0);
            }
            case dev.jux.abi.Madvise.MADV_KEEPONFORK -> setFlags(from, to, 0, Vma.WIPE_ON_FORK);
            case dev.jux.abi.Madvise.MADV_NORMAL -> setFlags(from, to, 0, Vma.SEQ_READ | Vma.RAND_READ);
            case dev.jux.abi.Madvise.MADV_SEQUENTIAL -> setFlags(from, to, Vma.SEQ_READ, Vma.RAND_READ);
            case dev.jux.abi.Madvise.MADV_RANDOM -> setFlags(from, to, Vma.RAND_READ, Vma.SEQ_READ);
            case dev.jux.abi.Madvise.MADV_HUGEPAGE -> setFlags(from, to, Vma.HUGEPAGE, Vma.NOHUGEPAGE);
            case dev.jux.abi.Madvise.MADV_NOHUGEPAGE -> setFlags(from, to, Vma.NOHUGEPAGE, Vma.HUGEPAGE);
            case dev.jux.abi.Madvise.MADV_DONTDUMP -> setFlags(from, to, Vma.DONT_DUMP, 0);
            case dev.jux.abi.Madvise.MADV_DODUMP -> setFlags(from, to, 0, Vma.DONT_DUMP);
            case dev.jux.abi.Madvise.MADV_POPULATE_READ, dev.jux.abi.Madvise.MADV_POPULATE_WRITE -> {
                boolean write = advice == dev.jux.abi.Madvise.MADV_POPULATE_WRITE;
                // Linux 6.x: an access the VMA does not allow is EINVAL (a SIGBUS page would be EFAULT).
                if (v.prot() == 0 || (write && (v.prot() & Vma.WRITE) == 0)) throw new LinuxException(Errno.EINVAL);
                for (long va = from; va < to; va += PAGE) physical(va, write);
            }
            default -> { }        // WILLNEED, MERGEABLE, COLLAPSE...: hints with nothing to do here
        }
    }

    /** Sets and clears VMA flags over [from, to), splitting VMAs at the edges. */
    private void setFlags(long from, long to, int set, int clear) {
        rewrite(from, to, x -> x.withFlags((x.flags() | set) & ~clear));
    }

    /** Drops the page-table entries of [from, to); true if any was present. */
    private boolean dropPages(long from, long to) {
        boolean changed = false;
        for (long va = from; va < to; va += PAGE) {
            long old = pages.lookup(va);
            if (old == 0) continue;
            pages.set(va, 0);
            releaseAfterChange(old & PageTable.ADDRESS_MASK);
            changed = true;
        }
        return changed;
    }

    // ---- mlock ----

    /**
     * mlock/mlock2/munlock over [start, start+length): sets {@code flags} (LOCKED, maybe
     * LOCK_ON_FAULT; 0 unlocks) on every VMA of the range, then fills in the pages of a lock
     * that is not on-fault. Linux's apply_vma_lock_flags: ENOMEM at the first unmapped page,
     * the VMAs before it changed. The rlimit check is the caller's ({@link #lockedBytes}).
     */
    public synchronized void lock(long start, long length, int flags) {
        long end = userEnd(start, length);
        long mapped = vmas.mappedUpTo(start, end);
        if (mapped > start) setFlags(start, mapped, flags, (Vma.LOCKED | Vma.LOCK_ON_FAULT) & ~flags);
        if (mapped < end || end != start + pageUp(length)) throw new LinuxException(Errno.ENOMEM);
        if ((flags & (Vma.LOCKED | Vma.LOCK_ON_FAULT)) == Vma.LOCKED) populate(start, end);
    }

    /**
     * mlockall/munlockall (apply_mlockall_flags): {@code futureFlags} become the flags of new
     * mappings (0 without MCL_FUTURE); with {@code current}, every VMA gets {@code flags} now.
     */
    public synchronized void lockAll(boolean current, int flags, int futureFlags) {
        defaultFlags = futureFlags;
        if (current) {
            for (Vma v : vmas()) {
                setFlags(v.start(), v.end(), flags, (Vma.LOCKED | Vma.LOCK_ON_FAULT) & ~flags);
                if ((flags & (Vma.LOCKED | Vma.LOCK_ON_FAULT)) == Vma.LOCKED) populate(v.start(), v.end());
            }
        }
    }

    /** True after mlockall(MCL_FUTURE): new mappings are locked. */
    public synchronized boolean locksFuture() {
        return (defaultFlags & Vma.LOCKED) != 0;
    }

    /** Bytes of locked VMAs (Linux's locked_vm, VmLck). */
    public synchronized long lockedBytes() {
        long n = 0;
        for (Vma v : vmas.all()) if ((v.flags() & Vma.LOCKED) != 0) n += v.length();
        return n;
    }

    /** Bytes of locked VMAs within [start, end) (count_mm_mlocked_page_nr). */
    public synchronized long lockedBytesIn(long start, long length) {
        if (start < 0 || start >= TASK_SIZE) return 0;
        long end = userEnd(start, length), n = 0;
        for (Vma v : vmas.overlapping(start, end)) {
            if ((v.flags() & Vma.LOCKED) != 0) n += Math.min(v.end(), end) - Math.max(v.start(), start);
        }
        return n;
    }

    /** Bytes of every VMA (VmSize, mlockall's charge). */
    public synchronized long mappedBytes() {
        return totalBytes(false);
    }

    /**
     * MAP_POPULATE and MAP_LOCKED: fills in what guest RAM allows; as on Linux, whose mmap
     * ignores mm_populate's failure, the mapping stands either way (the touch that finds no
     * memory later meets the OOM killer).
     */
    public synchronized void populateIfPossible(long start, long end) {
        try {
            populate(start, end);
        } catch (LinuxException e) {
            if (e.errno() != Errno.ENOMEM) throw e;
        }
    }

    /** Fills in every page of [start, end) now (MAP_POPULATE, exec, the initial stack). */
    public synchronized void populate(long start, long end) {
        for (long va = pageDown(start); va < end; va += PAGE) {
            Vma v = vmas.find(va);
            if (v != null && v.prot() != 0) fillPage(v, va, false);
        }
    }

    /**
     * Gives page {@code va} of {@code v} a frame if it has none present: a zeroed one, the
     * file's bytes, or the shared object's frame. Returns false if the page lies wholly past
     * the end of its file (Linux's SIGBUS).
     */
    private boolean fillPage(Vma v, long va, boolean write) {
        long e = pages.lookup(va);
        if ((e & PageTable.PRESENT) != 0) return true;
        FileBacking file = v.file();
        if (file != null && v.pageIndex(va) >= pageUp(file.size()) / PAGE) return false;
        long frame;
        if (e != 0) {
            frame = e & PageTable.ADDRESS_MASK;                // kept while PROT_NONE
        } else if (v.shared() != null) {
            frame = v.shared().frame(v.pageIndex(va));
            frames.retain(frame);
        } else {
            frame = frames.allocate();
            if (file != null) file.readFully(v.offset() + (va - v.start()), ram.slice(frame, PAGE));
        }
        pages.set(va, frame | leafFlags(v, va, frame, write));
        return true;
    }

    /**
     * The page-table flags for a frame of {@code v}. A writable area's page is mapped
     * read-only when a write must be seen first: a private page whose frame others still hold
     * (copy-on-write after fork), or a shared file page not yet dirty (so that write-back
     * knows which pages changed). {@code write}: the page is being written now.
     */
    private long leafFlags(Vma v, long va, long frame, boolean write) {
        long flags = v.pageFlags();
        if ((flags & PageTable.WRITABLE) == 0) return flags;
        boolean readOnly;
        if ((v.flags() & Vma.SHARED) == 0) {
            readOnly = frames.references(frame) > 1;
        } else if (v.file() != null && v.shared() != null) {
            long index = v.pageIndex(va);
            if (write) v.shared().markDirty(index);
            readOnly = !v.shared().isDirty(index);
        } else {
            readOnly = false;
        }
        return readOnly ? flags & ~(PageTable.WRITABLE | PageTable.DIRTY) : flags;
    }

    /**
     * A write to a present read-only page of a writable area: a shared file page becomes
     * dirty; a private page that others hold is copied (copy-on-write), one that no one else
     * holds any more is simply made writable again.
     */
    private void makeWritable(Vma v, long va, long e) {
        long frame = e & PageTable.ADDRESS_MASK;
        beginChange();
        try {
            if ((v.flags() & Vma.SHARED) == 0 && frames.references(frame) > 1) {
                long copy = frames.allocate();
                MemorySegment.copy(ram.segment(), frame, ram.segment(), copy, PAGE);
                pages.set(va, copy | v.pageFlags());
                releaseAfterChange(frame);   // another thread may still read it through its old translation
                // The CPU may still hold the old frame's read-only translation: drop it, or reads
                // (this thread's after a kernel write, or another vCPU's) would see the old frame.
                return;
            }
            pages.set(va, frame | leafFlags(v, va, frame, true));
            // The read-only translation would fault once more and be flushed then: flush now.
        } finally {
            endChange(true);
        }
    }

    // ---- the program break ----

    public synchronized void setBrkStart(long start) {
        brkStart = brk = pageUp(start);
    }

    public synchronized long brkStart() {
        return brkStart;
    }

    /**
     * brk(2): moves the break and returns the new one; on failure returns the old break, which
     * is how Linux reports it (glibc turns that into ENOMEM).
     */
    public synchronized long brk(long requested) {
        if (requested < brkStart) return brk;
        long oldTop = pageUp(brk), newTop = pageUp(requested);
        if (newTop > oldTop) {
            if (newTop > MMAP_BASE || !roomForHeap(oldTop, newTop)) return brk;
            try {
                checkGrowth(oldTop, newTop, Vma.READ | Vma.WRITE, 0, null);     // RLIMIT_AS, RLIMIT_DATA, overcommit
            } catch (LinuxException e) {
                return brk;
            }
            Vma heap = vmas.find(oldTop - 1);
            if (heap != null && "[heap]".equals(heap.name()) && heap.end() == oldTop) {
                vmas.carve(heap.start(), heap.end());
                vmas.insert(heap.withRange(heap.start(), newTop));
            } else {
                vmas.insert(new Vma(oldTop, newTop, Vma.READ | Vma.WRITE, 0, "[heap]"));
            }
        } else if (newTop < oldTop) {
            unmapRange(newTop, oldTop);
        }
        brk = requested;
        return brk;
    }

    /**
     * Linux's brk keeps one free page between the new break and the next mapping, and the
     * stack guard gap below a stack: it fails unless newbrk + PAGE_SIZE <= vm_start_gap(next).
     */
    private boolean roomForHeap(long oldTop, long newTop) {
        for (Vma v : vmas.overlapping(oldTop, newTop + PAGE + STACK_GUARD_GAP)) {
            long gapStart = (v.flags() & Vma.GROWS_DOWN) != 0 ? v.start() - STACK_GUARD_GAP : v.start();
            if (newTop + PAGE > gapStart) return false;
        }
        return true;
    }

    // ---- faults ----

    /**
     * Resolves a user page fault at {@code address}. Linux's rules: no VMA is SEGV_MAPERR; a VMA
     * that forbids the access is SEGV_ACCERR. On x86 every mapping that allows anything can be
     * read.
     */
    public synchronized FaultResult handleFault(long address, boolean write, boolean exec) {
        Vma v = vmas.find(address);
        if (v == null) v = growStack(address);
        if (v == null) return FaultResult.MAPERR;
        int need = exec ? Vma.EXEC : write ? Vma.WRITE : 0;
        if (v.prot() == 0 || (need != 0 && (v.prot() & need) == 0)) return FaultResult.ACCERR;
        long va = pageDown(address);
        long e = pages.lookup(va);
        boolean sharedFileWrite = write && v.file() != null && v.shared() != null;
        if (e != 0 && (e & PageTable.PRESENT) != 0) {
            if (sharedFileWrite && (e & PageTable.WRITABLE) == 0) {
                dirtyWindow(v, address);
            } else if (write && (e & PageTable.WRITABLE) == 0) {
                makeWritable(v, va, e);
            } else {
                // The entry already allows the access: the CPU used a stale translation
                // (setting the entry again on fresh tables replaces the path it was cached from).
                beginChange();
                try {
                    pages.set(va, e);
                } finally {
                    endChange(true);
                }
            }
            return FaultResult.RESOLVED;
        }
        if (!fillPage(v, va, write)) return FaultResult.SIGBUS;
        long from = Math.max(v.start(), address & -FAULT_AROUND);
        long to = Math.min(v.end(), (address & -FAULT_AROUND) + FAULT_AROUND);
        for (long p = from; p < to; p += PAGE) {
            if (p != va && !fillPage(v, p, sharedFileWrite) && p > va) break;   // the rest is past EOF
        }
        return FaultResult.RESOLVED;
    }

    /**
     * A write fault in a shared file mapping makes the whole fault-around window writable and
     * dirty, not just the page: marking pages dirty one write fault at a time costs a
     * translation flush per page (~250 us on our KVM), a window costs one. Write-back then
     * writes up to a window of unchanged pages too, which only matters to a concurrent
     * write(2) of those bytes (not coherent anyway, see {@link SharedPages}).
     */
    private void dirtyWindow(Vma v, long address) {
        long from = Math.max(v.start(), address & -FAULT_AROUND);
        long to = Math.min(v.end(), (address & -FAULT_AROUND) + FAULT_AROUND);
        beginChange();
        try {
            pages.forEach(from, to, (va, e) -> {
                if ((e & PageTable.PRESENT) != 0 && (e & PageTable.WRITABLE) == 0) {
                    pages.set(va, (e & PageTable.ADDRESS_MASK) | leafFlags(v, va, e & PageTable.ADDRESS_MASK, true));
                }
            });
        } finally {
            // The CPU keeps the read-only translation and would fault once more: drop it now.
            endChange(true);
        }
    }

    /**
     * Linux's expand_stack: an access below a grows-down VMA (the [stack], a MAP_GROWSDOWN
     * mapping) extends it down to the page, if the stack then stays within RLIMIT_STACK and
     * RLIMIT_AS, and at least stack_guard_gap (256 pages) above an accessible mapping below.
     * Returns the grown VMA, or null (the access is then SEGV_MAPERR).
     */
    private Vma growStack(long address) {
        if (address < MMAP_MIN || address >= TASK_SIZE) return null;
        Vma stack = vmas.above(address);
        if (stack == null || (stack.flags() & Vma.GROWS_DOWN) == 0) return null;
        long newStart = pageDown(address);
        if (exceeds(stack.end() - newStart, limits.stack() & -PAGE)) return null;
        if (exceeds(totalBytes(false) + (stack.start() - newStart), limits.addressSpace())) return null;
        Vma below = vmas.below(newStart);
        if (below != null && (below.flags() & Vma.GROWS_DOWN) == 0 && below.prot() != 0
                && newStart - below.end() < STACK_GUARD_GAP) {
            return null;
        }
        Vma grown = rewrite(stack.start(), stack.end(), x -> x.withRange(newStart, x.end())).get(0);
        if ((grown.flags() & (Vma.LOCKED | Vma.LOCK_ON_FAULT)) == Vma.LOCKED) populate(newStart, stack.start());
        return grown;
    }

    /** The grows-down VMA's low end: where the [stack] now begins (tests, /proc). */
    public synchronized long stackStart() {
        Vma top = vmas.below(TASK_SIZE);
        return top != null && (top.flags() & Vma.GROWS_DOWN) != 0 ? top.start() : -1;
    }

    // ---- kernel access to user memory ----

    /** The guest-physical address for {@code va}, filling the page in if its VMA allows the access. */
    private long physical(long va, boolean write) {
        return physical(va, write, false);
    }

    /**
     * As {@link #physical(long, boolean)}; {@code force} writes regardless of protection (the
     * loader filling read-only segments), still breaking copy-on-write.
     */
    private long physical(long va, boolean write, boolean force) {
        // Checked before the page table: every table also maps the platform's own pages in the
        // kernel half (present, not user), and a system call must never reach them. Linux's
        // access_ok fails any address at or above TASK_SIZE the same way.
        if (va < 0 || va >= TASK_SIZE) throw new LinuxException(Errno.EFAULT);
        long page = pageDown(va);
        long e = pages.lookup(page);
        if ((e & PageTable.PRESENT) == 0 || (write && (e & PageTable.WRITABLE) == 0)) {
            Vma v = vmas.find(va);
            if (v == null) v = growStack(va);
            if (v == null || (!force && (v.prot() == 0 || (write && (v.prot() & Vma.WRITE) == 0)))) {
                throw new LinuxException(Errno.EFAULT);
            }
            // A page past the end of its file: Linux's fault gives SIGBUS, the copy EFAULT.
            if (!fillPage(v, page, write)) throw new LinuxException(Errno.EFAULT);
            e = pages.lookup(page);
            if (write && (e & PageTable.WRITABLE) == 0) {
                if ((v.prot() & Vma.WRITE) != 0) {
                    makeWritable(v, page, e);
                } else {
                    breakSharing(v, page, e);
                }
                e = pages.lookup(page);
            }
        }
        return (e & PageTable.ADDRESS_MASK) | (va & (PAGE - 1));
    }

    /** A forced write (the loader) into a read-only private page: give it a frame of its own first. */
    private void breakSharing(Vma v, long va, long e) {
        long frame = e & PageTable.ADDRESS_MASK;
        if ((v.flags() & Vma.SHARED) != 0 || frames.references(frame) == 1) return;
        long copy = frames.allocate();
        MemorySegment.copy(ram.segment(), frame, ram.segment(), copy, PAGE);
        beginChange();
        try {
            pages.set(va, copy | (e & ~PageTable.ADDRESS_MASK));
        } finally {
            endChange(true);
        }
        frames.release(frame);
    }

    @Override
    public synchronized void read(long addr, byte[] dst, int off, int len) {
        copy(addr, len, false, (phys, at, n) -> MemorySegment.copy(ram.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, phys, dst, off + at, n));
    }

    @Override
    public synchronized void write(long addr, byte[] src, int off, int len) {
        copy(addr, len, true, (phys, at, n) -> MemorySegment.copy(src, off + at, ram.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, phys, n));
    }

    /**
     * Writes into the address space regardless of page protection: the loader uses it to fill
     * read-only segments at exec. Pages must be mapped.
     */
    public synchronized void load(long addr, byte[] src, int off, int len) {
        copy(addr, len, true, true, (phys, at, n) -> MemorySegment.copy(src, off + at, ram.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, phys, n));
    }

    /** Direct access to guest RAM for the bytes of one page, for I/O without copying. */
    public synchronized MemorySegment pageSegment(long va, int len, boolean write) {
        if (len > PAGE - (va & (PAGE - 1))) throw new IllegalArgumentException("crosses a page");
        return ram.slice(physical(va, write), len);
    }

    /** EFAULT unless every page of [addr, addr+len) can be accessed (and is now filled in). */
    public synchronized void checkAccess(long addr, long len, boolean write) {
        if (addr + len < addr) throw new LinuxException(Errno.EFAULT);
        for (long va = pageDown(addr); va < addr + len; va += PAGE) physical(va, write);
    }

    public synchronized void copyToUser(long addr, MemorySegment src) {
        copy(addr, (int) src.byteSize(), true, (phys, at, n) -> MemorySegment.copy(src, at, ram.segment(), phys, n));
    }

    /** Copies from user memory until the end of {@code dst} or the first bad page; returns the count. */
    public synchronized long copyFromUserPartial(long addr, MemorySegment dst) {
        long done = 0, len = dst.byteSize();
        while (done < len) {
            long va = addr + done;
            long n = Math.min(len - done, PAGE - (va & (PAGE - 1)));
            long phys;
            try {
                phys = physical(va, false);
            } catch (LinuxException e) {
                break;
            }
            MemorySegment.copy(ram.segment(), phys, dst, done, n);
            done += n;
        }
        return done;
    }

    private interface Chunk {
        void copy(long phys, int offsetInBuffer, int n);
    }

    private void copy(long addr, int len, boolean write, Chunk chunk) {
        copy(addr, len, write, false, chunk);
    }

    private void copy(long addr, int len, boolean write, boolean force, Chunk chunk) {
        if (len < 0 || addr + len < addr) throw new LinuxException(Errno.EFAULT);
        int done = 0;
        while (done < len) {
            long va = addr + done;
            int n = (int) Math.min(len - done, PAGE - (va & (PAGE - 1)));
            chunk.copy(physical(va, write, force), done, n);
            done += n;
        }
    }

    // ---- fork ----

    /**
     * fork(2)'s copy of this address space: the same mappings and program break, sharing
     * every frame. Shared mappings simply share (both processes see each other's writes);
     * private writable pages become read-only in both, and the first write in either copies
     * the frame, or takes it back if no one else holds it any more (copy-on-write).
     */
    public synchronized AddressSpace fork() {
        return fork(EAGER_COPY_PAGES);
    }

    /**
     * Up to this many writable private pages, fork copies them at once instead of sharing
     * them copy-on-write. Making the parent's pages read-only costs a translation flush
     * (~1 ms on our KVM) and then a write fault plus often another flush per page touched;
     * copying 4 MiB costs well under that. Bigger processes (python, a JVM) get copy-on-write.
     */
    static final int EAGER_COPY_PAGES = 1024;

    /** fork with an explicit eager-copy limit (0: always copy-on-write; tests use it). */
    synchronized AddressSpace fork(int eagerCopyLimit) {
        boolean eager = privateWritablePages(eagerCopyLimit + 1) <= eagerCopyLimit;
        AddressSpace child = new AddressSpace(platform, frames);
        child.brkStart = brkStart;
        child.brk = brk;
        boolean[] parentChanged = {false};
        beginChange();
        try {
            for (Vma v : vmas.all()) {
                if ((v.flags() & Vma.DONT_FORK) != 0) continue;                // madvise(MADV_DONTFORK)
                // Locks are not inherited (dup_mmap clears VM_LOCKED).
                child.vmas.insert(v.withFlags(v.flags() & ~(Vma.LOCKED | Vma.LOCK_ON_FAULT)));
                if ((v.flags() & Vma.WIPE_ON_FORK) != 0) continue;             // the child's pages read as zeros
                boolean cow = (v.flags() & Vma.SHARED) == 0;
                pages.forEach(v.start(), v.end(), (va, e) -> {
                    if (cow && (e & PageTable.WRITABLE) != 0) {
                        if (eager) {
                            long copy = frames.allocate();
                            MemorySegment.copy(ram.segment(), e & PageTable.ADDRESS_MASK, ram.segment(), copy, PAGE);
                            try {
                                child.pages.set(va, copy | (e & ~PageTable.ADDRESS_MASK));
                            } catch (LinuxException x) {
                                frames.release(copy);
                                throw x;
                            }
                            return;
                        }
                        e &= ~(PageTable.WRITABLE | PageTable.DIRTY);
                        pages.set(va, e);
                        parentChanged[0] = true;
                    }
                    child.pages.set(va, e);                           // may fail (ENOMEM): before retain
                    frames.retain(e & PageTable.ADDRESS_MASK);
                });
            }
        } catch (LinuxException e) {
            child.destroy();
            throw e;
        } finally {
            // The parent's CPU translations still allow writes to the pages now shared.
            endChange(parentChanged[0]);
        }
        return child;
    }

    /** Present, writable pages of private mappings, counted up to {@code max}. */
    private long privateWritablePages(long max) {
        long[] n = {0};
        for (Vma v : vmas.all()) {
            if ((v.flags() & (Vma.SHARED | Vma.DONT_FORK | Vma.WIPE_ON_FORK)) != 0) continue;
            pages.forEach(v.start(), v.end(), (va, e) -> {
                if ((e & PageTable.WRITABLE) != 0) n[0]++;
            });
            if (n[0] > max) break;
        }
        return n[0];
    }

    // ---- mremap and mincore ----

    /**
     * mremap(2) on page-aligned, already validated lengths: shrinks in place, grows in place
     * when the pages after the area are free, otherwise moves the area ({@code mayMove}) to a
     * free place or to {@code fixedAddr} (>= 0: MREMAP_FIXED, whatever is there is unmapped).
     * Moving moves the page-table entries, not the data. {@code dontUnmap} leaves the old range
     * mapped and empty. Linux's errors: EFAULT if the old range is not inside one VMA, ENOMEM if
     * it cannot grow in place and may not move, EINVAL for overlapping old and new ranges.
     */
    public synchronized long remap(long oldAddr, long oldLen, long newLen, boolean mayMove, long fixedAddr, boolean dontUnmap) {
        if (vmas.find(oldAddr) == null) throw new LinuxException(Errno.EFAULT);        // Linux's vma_lookup comes first
        if (fixedAddr >= 0) {
            if ((fixedAddr & (PAGE - 1)) != 0 || fixedAddr > TASK_SIZE - newLen) throw new LinuxException(Errno.EINVAL);
            if (fixedAddr < oldAddr + oldLen && oldAddr < fixedAddr + newLen) throw new LinuxException(Errno.EINVAL);
            if (fixedAddr < MMAP_MIN) throw new LinuxException(Errno.EPERM);
            unmapRange(fixedAddr, fixedAddr + newLen);
            if (oldLen > newLen) {
                unmapRange(oldAddr + newLen, oldAddr + oldLen);
                oldLen = newLen;
            }
        } else if (newLen <= oldLen) {
            if (newLen < oldLen) unmapRange(oldAddr + newLen, oldAddr + oldLen);
            return oldAddr;
        }
        Vma v = vmas.find(oldAddr);
        if (v == null || oldLen > v.end() - oldAddr) throw new LinuxException(Errno.EFAULT);
        if (oldLen == 0) return duplicate(v, oldAddr, newLen, mayMove, fixedAddr);
        long added = dontUnmap ? newLen : newLen - oldLen;
        if (added > 0) checkRemapGrowth(v, added, newLen);
        Vma part = v.withRange(oldAddr, oldAddr + oldLen);
        if (fixedAddr < 0) {
            if (v.end() == oldAddr + oldLen && oldAddr + newLen <= TASK_SIZE
                    && vmas.overlapping(v.end(), oldAddr + newLen).isEmpty()) {
                long newEnd = oldAddr + newLen;
                vmas.rewrite(v.start(), v.end(), x -> x.withRange(x.start(), newEnd));
                return oldAddr;
            }
            if (!mayMove) throw new LinuxException(Errno.ENOMEM);
        }
        long target = fixedAddr >= 0 ? fixedAddr : vmas.findGapBelow(MMAP_BASE, newLen, MMAP_MIN);
        if (target < 0) throw new LinuxException(Errno.ENOMEM);
        // The new VMA first: a shared object must never be without users in between.
        vmas.insert(part.movedTo(target, target + newLen));
        if (!dontUnmap) vmas.carve(oldAddr, oldAddr + oldLen);
        boolean[] moved = {false};
        beginChange();
        try {
            pages.forEach(oldAddr, oldAddr + oldLen, (va, e) -> {
                pages.set(target + (va - oldAddr), e);
                pages.set(va, 0);
                moved[0] = true;
            });
        } finally {
            endChange(moved[0]);
        }
        return target;
    }

    /** mremap's checks (vma_to_resize): RLIMIT_AS, RLIMIT_DATA and the overcommit heuristic. */
    private void checkRemapGrowth(Vma v, long added, long newLen) {
        if (exceeds(totalBytes(false) + added, limits.addressSpace())) throw new LinuxException(Errno.ENOMEM);
        if (isData(v.prot(), v.flags()) && exceeds(totalBytes(true) + added, limits.data())) throw new LinuxException(Errno.ENOMEM);
        boolean accountable = (v.flags() & (Vma.SHARED | Vma.NORESERVE)) == 0 && (v.prot() & Vma.WRITE) != 0;
        if (accountable && newLen / PAGE > frames.totalFrames()) throw new LinuxException(Errno.ENOMEM);
    }

    /**
     * mremap with old_size 0: a second mapping of the same shared pages from {@code addr} on
     * (Linux allows it for shared mappings only: EINVAL for a private one; it never grows in
     * place here, so without MREMAP_MAYMOVE it is ENOMEM).
     */
    private long duplicate(Vma v, long addr, long newLen, boolean mayMove, long fixedAddr) {
        if (v.shared() == null) throw new LinuxException(Errno.EINVAL);
        if (!mayMove) throw new LinuxException(Errno.ENOMEM);
        long target = fixedAddr >= 0 ? fixedAddr : vmas.findGapBelow(MMAP_BASE, newLen, MMAP_MIN);
        if (target < 0) throw new LinuxException(Errno.ENOMEM);
        vmas.insert(new Vma(target, target + newLen, v.prot(), v.flags(), v.name(), v.file(),
                v.offset() + (addr - v.start()), v.shared()));
        return target;
    }

    /**
     * mincore(2): one byte per page of [start, start+length), 1 if the page is in memory (a
     * present page, or a frame of its shared object). ENOMEM if part of the range is unmapped.
     * Private file pages not touched yet count as absent (Linux reports its page cache).
     */
    public synchronized byte[] residency(long start, long length) {
        long end = start + pageUp(length);
        if (!vmas.covers(start, end)) throw new LinuxException(Errno.ENOMEM);
        byte[] out = new byte[(int) ((end - start) / PAGE)];
        for (int i = 0; i < out.length; i++) {
            long va = start + i * PAGE;
            boolean present = (pages.lookup(va) & PageTable.PRESENT) != 0;
            if (!present) {
                Vma v = vmas.find(va);
                present = v.shared() != null && v.shared().has(v.pageIndex(va));
            }
            out[i] = (byte) (present ? 1 : 0);
        }
        return out;
    }

    // ---- msync ----

    /**
     * msync(2): writes the shared file pages of [start, start+length) back to their files.
     * ENOMEM if part of the range is unmapped (the mapped parts are written all the same, as
     * Linux does).
     */
    public synchronized void sync(long start, long length) {
        long end = start + pageUp(length);
        for (Vma v : vmas.overlapping(start, end)) {
            if (v.shared() == null || v.file() == null) continue;
            long from = Math.max(v.start(), start), to = Math.min(v.end(), end);
            v.shared().writeBack(v.pageIndex(from), (to - from) / PAGE);
        }
        if (!vmas.covers(start, end)) throw new LinuxException(Errno.ENOMEM);
    }

    // ---- inspection and teardown ----

    public synchronized List<Vma> vmas() {
        List<Vma> out = new ArrayList<>();
        vmas.all().forEach(out::add);
        return out;
    }

    /** True if [addr, addr+len) is entirely mapped. */
    public synchronized boolean vmasCover(long addr, long len) {
        return vmas.covers(addr, addr + pageUp(len));
    }

    /** Pages that have a frame (VmRSS). */
    public synchronized long residentPages() {
        long[] n = {0};
        for (Vma v : vmas.all()) {
            pages.forEach(v.start(), v.end(), (va, e) -> {
                if ((e & PageTable.PRESENT) != 0) n[0]++;
            });
        }
        return n[0];
    }

    /** Each VMA's resident, shared, private and dirty bytes (/proc/PID/smaps). */
    public synchronized List<VmaUsage> usage() {
        List<VmaUsage> out = new ArrayList<>();
        for (Vma v : vmas.all()) {
            long[] n = new long[7];          // rss, shared clean/dirty, private clean/dirty, anonymous
            double[] pss = {0};
            boolean anonymousArea = v.file() == null && v.shared() == null;
            pages.forEach(v.start(), v.end(), (va, e) -> {
                if ((e & PageTable.PRESENT) == 0) return;
                long frame = e & PageTable.ADDRESS_MASK;
                // The shared object's own hold on a frame is not a mapping of it.
                int mappings = Math.max(1, frames.references(frame) - (v.shared() != null ? 1 : 0));
                boolean dirty = v.shared() != null && v.file() != null
                        ? v.shared().isDirty(v.pageIndex(va)) : v.shared() != null || (e & PageTable.WRITABLE) != 0;
                n[0]++;
                pss[0] += (double) PAGE / mappings;
                n[(mappings > 1 ? 1 : 3) + (dirty ? 1 : 0)]++;
                if (anonymousArea || (v.shared() == null && (e & PageTable.WRITABLE) != 0)) n[5]++;
            });
            long locked = (v.flags() & Vma.LOCKED) != 0 ? n[0] * PAGE : 0;
            out.add(new VmaUsage(v, n[0] * PAGE, (long) pss[0], n[1] * PAGE, n[2] * PAGE, n[3] * PAGE, n[4] * PAGE,
                    n[5] * PAGE, locked));
        }
        return out;
    }

    public synchronized Vma findVma(long address) {
        return vmas.find(address);
    }

    /** How many processes use this address space (more than 1 while a vfork child borrows it). */
    public synchronized int users() {
        return users;
    }

    /** One more process uses this address space (CLONE_VM without threads: vfork). */
    public synchronized void retain() {
        users++;
    }

    /** A process stops using this address space; the last one frees it ({@link #destroy}). */
    public void release() {
        synchronized (this) {
            if (--users > 0) return;
        }
        destroy();
    }

    /**
     * Frees every page and page table; the address space must not run again. No CPU runs on
     * these tables any more, so their translations need no flush of their own: the platform
     * only has to keep the table frames from serving as tables again while translations
     * cached from them may live ({@link Platform#retireTables}; on KVM that saves a
     * shadow-page zap at every exit and exec).
     */
    public synchronized void destroy() {
        clearRange(0, TASK_SIZE, new boolean[1]);
        releaseUnmapped(false);
        retire(pages.destroy());
    }

    /** Table frames no CPU will walk again: the platform gives them back once no cached translation can use them. */
    private void retire(long[] tables) {
        platform.retireTables(tables.length, () -> {
            for (long frame : tables) frames.release(frame);
        });
    }
}
