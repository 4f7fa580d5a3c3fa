// The same FIFO checks as fifo.c, with /tmp a read-write hostfs mount of a host scratch dir.
// There the FIFOs are real host FIFOs, which Jux opens as guest pipes (never on the host).
// jux-args: --mount {scratch}:/tmp
#include "fifo.c"
