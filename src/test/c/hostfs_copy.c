// The same operations as fs_copy.c, with /tmp a read-write hostfs mount of a host scratch directory.
// jux-args: --mount {scratch}:/tmp
#include "fs_copy.c"
