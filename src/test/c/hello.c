// Prints its arguments and environment: the loader must pass argv and envp through exactly,
// in order, and the strings must be laid out as Linux does (contiguous, NUL-separated).
// args: one "two words" three ""
// env: A=1 B="a value with spaces" EMPTY=
#include "jux_test.h"
#include <stdlib.h>

int main(int argc, char **argv, char **envp) {
    printf("hello, world\n");
    printf("argc = %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = '%s'\n", i, argv[i]);
    CHECK(argv[argc] == NULL);
    int n = 0;
    for (char **e = envp; *e; e++, n++) printf("envp[%d] = '%s'\n", n, *e);
    printf("getenv(\"B\") = '%s'\n", getenv("B"));
    CHECK(getenv("NOT_SET") == NULL);
    CHECK(environ == envp);
    return 0;
}
