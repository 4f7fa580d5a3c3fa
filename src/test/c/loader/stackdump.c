/*
 * Prints this process's initial stack as Linux built it, for the loader tests to compare
 * against InitialStack and LoadPlan. Run it under `setarch -R` so nothing is randomized.
 * Output, one item per line: "top HEX", "rsp HEX", "stat START_BRK ARG_START ARG_END
 * ENV_START ENV_END" (from /proc/self/stat), "image HEX..." (the bytes from rsp to top).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    (void)argc;
    unsigned long top = 0;
    char line[512];
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return 1;
    while (fgets(line, sizeof line, maps)) {
        if (strstr(line, "[stack]")) {
            unsigned long lo, hi;
            if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) top = hi;
        }
    }
    fclose(maps);
    if (!top) return 2;

    /* argc sits right below argv on the initial stack, and rsp pointed at it. */
    unsigned char *rsp = (unsigned char *)((unsigned long *)argv - 1);
    printf("top %lx\nrsp %lx\n", top, (unsigned long)rsp);

    /* Fields 47..51 of /proc/self/stat: start_brk arg_start arg_end env_start env_end. */
    static char stat[4096];
    FILE *sf = fopen("/proc/self/stat", "r");
    if (!sf) return 3;
    size_t n = fread(stat, 1, sizeof stat - 1, sf);
    fclose(sf);
    stat[n] = 0;
    char *p = strrchr(stat, ')');
    if (!p) return 4;
    p += 2; /* the state field, number 3 */
    for (int field = 3; field < 47; field++) p = strchr(p, ' ') + 1;
    unsigned long v[5];
    if (sscanf(p, "%lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3], &v[4]) != 5) return 5;
    printf("stat %lx %lx %lx %lx %lx\n", v[0], v[1], v[2], v[3], v[4]);

    printf("image ");
    for (unsigned char *b = rsp; b < (unsigned char *)top; b++) printf("%02x", *b);
    printf("\n");
    return 0;
}
