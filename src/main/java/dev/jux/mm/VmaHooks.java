package dev.jux.mm;

/**
 * What a shared object that counts its mappings is told (Linux's vm_operations_struct open and
 * close, which System V shared memory uses for shm_nattch): {@link #opened} for every VMA of
 * it that appears (a new mapping, a fork child's copy, each piece a split leaves) and
 * {@link #closed} for every one that goes (munmap, the replaced part of a split, exit, exec).
 * Called by {@link VmaMap} under the address space's lock; the object must not call back into
 * an address space.
 */
public interface VmaHooks {
    void opened();

    void closed();

    /** The object's size in bytes: how far shmdt looks for the pieces of one attachment. */
    long size();
}
