// Reads all of standard input with read(2) and writes it back upper-cased, with counts.
// stdin: hello from stdin
// stdin: \tsecond line, with a tab
// stdin: third
#include "jux_test.h"
#include <ctype.h>

int main(void) {
    char buf[4096];
    size_t total = 0, lines = 0;
    ssize_t n;
    while ((n = read(0, buf + total, sizeof buf - 1 - total)) > 0) total += n;
    SHOW_RET(read(0, buf, 1));
    for (size_t i = 0; i < total; i++) {
        lines += buf[i] == '\n';
        buf[i] = (char)toupper((unsigned char)buf[i]);
    }
    printf("%zu bytes, %zu lines:\n", total, lines);
    fwrite(buf, 1, total, stdout);
    return 0;
}
