package dev.jux.mm;

/**
 * What one VMA holds in memory, in bytes, as /proc/PID/smaps reports it. A page is shared
 * when another mapping also maps its frame (Linux's mapcount > 1); dirty when written (or
 * writable: Jux maps private writable pages dirty); anonymous when it is not a file's page
 * (private anonymous memory, and the written copies of private file pages). Pss divides each
 * page by the number of mappings of its frame.
 */
public record VmaUsage(Vma vma, long rss, long pss, long sharedClean, long sharedDirty,
                       long privateClean, long privateDirty, long anonymous, long locked) {
}
