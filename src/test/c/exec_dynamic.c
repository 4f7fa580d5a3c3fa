// The host's dynamic programs through execve, in one process (no fork): a #! script run by
// the host's /bin/sh (dynamic: ld.so loads libc.so.6 from the guest's tree), which execs this
// program again, which cleans up and execs the host's /bin/echo. /proc/self/maps names the
// interpreter and the program's segments after their files.
// args: first
#include "jux_test.h"
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

static char *env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "stage-2") == 0) {
        printf("back in the test program, argc %d\n", argc);
        const char *script = argv[2];
        SHOW_ERR(unlink(script));
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", script);
        *strrchr(dir, '/') = '\0';
        SHOW_ERR(rmdir(dir));
        char *args[] = {"echo", "dynamic", "echo:", "last", "words", NULL};
        fflush(stdout);
        execve("/bin/echo", args, env);
        printf("execve /bin/echo failed: %s\n", errname(errno));
        return 1;
    }

    printf("first image\n");
    char exe[PATH_MAX + 1];
    ssize_t n = readlink("/proc/self/exe", exe, PATH_MAX);
    exe[n > 0 ? n : 0] = '\0';
    char dir[64], script[96];
    snprintf(dir, sizeof dir, "/tmp/jux-exec-dynamic-%d", getpid());
    snprintf(script, sizeof script, "%s/script", dir);
    mkdir(dir, 0755);
    const char *text =
        "#!/bin/sh -e\n"
        "echo \"script: $# arguments, first $2\"\n"
        "read line < /proc/self/maps\n"
        "case \"$line\" in *' /usr/bin/dash' | *' /bin/dash' | *' /usr/bin/bash' | *' /bin/bash') echo 'maps: the shell first';; *) echo \"maps: $line\";; esac\n"
        "exec \"$1\" stage-2 \"$0\"\n";
    int fd = open(script, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
    char *args[] = {"script", exe, "hello", NULL};
    fflush(stdout);
    execve(script, args, env);
    printf("execve script failed: %s\n", errname(errno));
    unlink(script);
    rmdir(dir);
    return 1;
}
