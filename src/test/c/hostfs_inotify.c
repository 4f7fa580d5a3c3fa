// The events of inotify.c with /tmp a read-write hostfs mount of a host scratch directory.
// jux-args: --mount {scratch}:/tmp
#include "inotify.c"
