// The same operations as fs_locks.c, with /tmp a read-write hostfs mount of a host scratch directory.
// jux-args: --mount {scratch}:/tmp
#include "fs_locks.c"
