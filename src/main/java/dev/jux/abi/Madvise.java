package dev.jux.abi;

/** madvise(2) advice values ({@code <asm-generic/mman-common.h>}). */
public final class Madvise {
    private Madvise() {}

    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_FREE = 8;
    public static final int MADV_REMOVE = 9;
    public static final int MADV_DONTFORK = 10;
    public static final int MADV_DOFORK = 11;
    public static final int MADV_MERGEABLE = 12;
    public static final int MADV_UNMERGEABLE = 13;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;
    public static final int MADV_DONTDUMP = 16;
    public static final int MADV_DODUMP = 17;
    public static final int MADV_WIPEONFORK = 18;
    public static final int MADV_KEEPONFORK = 19;
    public static final int MADV_COLD = 20;
    public static final int MADV_PAGEOUT = 21;
    public static final int MADV_POPULATE_READ = 22;
    public static final int MADV_POPULATE_WRITE = 23;
    public static final int MADV_DONTNEED_LOCKED = 24;
    public static final int MADV_COLLAPSE = 25;
    public static final int MADV_HWPOISON = 100;
    public static final int MADV_SOFT_OFFLINE = 101;

    private static final ValueTable NAMES = ValueTable.builder("MADV_???")
            .add("MADV_NORMAL", MADV_NORMAL)
            .add("MADV_RANDOM", MADV_RANDOM)
            .add("MADV_SEQUENTIAL", MADV_SEQUENTIAL)
            .add("MADV_WILLNEED", MADV_WILLNEED)
            .add("MADV_DONTNEED", MADV_DONTNEED)
            .add("MADV_FREE", MADV_FREE)
            .add("MADV_REMOVE", MADV_REMOVE)
            .add("MADV_DONTFORK", MADV_DONTFORK)
            .add("MADV_DOFORK", MADV_DOFORK)
            .add("MADV_MERGEABLE", MADV_MERGEABLE)
            .add("MADV_UNMERGEABLE", MADV_UNMERGEABLE)
            .add("MADV_HUGEPAGE", MADV_HUGEPAGE)
            .add("MADV_NOHUGEPAGE", MADV_NOHUGEPAGE)
            .add("MADV_DONTDUMP", MADV_DONTDUMP)
            .add("MADV_DODUMP", MADV_DODUMP)
            .add("MADV_WIPEONFORK", MADV_WIPEONFORK)
            .add("MADV_KEEPONFORK", MADV_KEEPONFORK)
            .add("MADV_COLD", MADV_COLD)
            .add("MADV_PAGEOUT", MADV_PAGEOUT)
            .add("MADV_POPULATE_READ", MADV_POPULATE_READ)
            .add("MADV_POPULATE_WRITE", MADV_POPULATE_WRITE)
            .add("MADV_DONTNEED_LOCKED", MADV_DONTNEED_LOCKED)
            .add("MADV_COLLAPSE", MADV_COLLAPSE)
            .add("MADV_HWPOISON", MADV_HWPOISON)
            .add("MADV_SOFT_OFFLINE", MADV_SOFT_OFFLINE)
            .build();

    public static String render(int advice) {
        return NAMES.render(Integer.toUnsignedLong(advice));
    }
}
