// Run by SandboxTest as `jux run --root DIR:rw /escape CANARY_HOST_PATH`: tries every way out of
// the guest's root it can think of, reading and writing. The canary file lies outside DIR; this
// program prints each attempt's outcome, and "secret" only if it ever read the canary.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void try_read(const char *path) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("read %s: errno %d\n", path, errno);
        return;
    }
    int n = read(fd, buf, sizeof buf - 1);
    printf("read %s: %d bytes: %s\n", path, n, n > 0 ? buf : "");
    close(fd);
}

static void try_write(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        printf("write %s: errno %d\n", path, errno);
        return;
    }
    write(fd, "pwned\n", 6);
    close(fd);
    printf("write %s: done (inside the root)\n", path);
}

int main(int argc, char **argv) {
    const char *hostcanary = argc > 1 ? argv[1] : "/nonexistent";
    char path[4096];
    /* `..` chains from the root, from subdirectories, through the host-made directory tree. */
    try_read("../canary");
    try_read("../../../../../../canary");
    try_read("/../canary");
    try_read("/a/b/../../../canary");
    try_read("a/b/../../../../../canary");
    try_read(hostcanary);
    snprintf(path, sizeof path, "/../../../..%s", hostcanary);
    try_read(path);
    /* Host-made symlinks: absolute host path, relative out, to "/", to a directory outside. */
    try_read("hostabs");
    try_read("hostrel");
    try_read("hostroot/../canary");
    try_read("hostout/canary");
    /* Guest-made symlinks. */
    symlink("../../canary", "g_rel");
    symlink(hostcanary, "g_abs");
    symlink("/", "g_root");
    try_read("g_rel");
    try_read("g_abs");
    try_read("g_root/../../canary");
    chdir("a/b");
    try_read("../../../canary");
    chdir("/");
    /* chroot into a subdirectory, then climb: stays below. */
    /* Writes through the same routes. */
    try_write("../canary");
    try_write("hostabs");
    try_write("hostrel");
    try_write("g_rel");
    try_write("hostout/canary");
    try_write("hostout/newfile");
    /* Hard links: the outside file cannot even be named. */
    printf("link ../canary: %d errno %d\n", link("../canary", "hl1"), errno);
    printf("link hostabs: %d errno %d\n", linkat(AT_FDCWD, "hostabs", AT_FDCWD, "hl2", AT_SYMLINK_FOLLOW), errno);
    printf("link hostout/canary: %d errno %d\n", link("hostout/canary", "hl3"), errno);
    /* Rename race: the test moves a/b/c out of DIR and back on the host while we walk through it. */
    int leaked = 0, tries = 0;
    for (int i = 0; i < 20000; i++) {
        char buf[16] = {0};
        int fd = open("a/b/c/../../../../canary", O_RDONLY);
        if (fd < 0) fd = open("a/b/c/../../../canary", O_RDONLY);
        if (fd < 0) fd = open("a/b/c/../../../../outside/canary", O_RDONLY);
        tries++;
        if (fd >= 0) {
            if (read(fd, buf, sizeof buf - 1) > 0 && strstr(buf, "secret")) leaked++;
            close(fd);
        }
        int dfd = open("a/b/c", O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            int f2 = openat(dfd, "../../../../canary", O_RDONLY);
            if (f2 >= 0) {
                if (read(f2, buf, sizeof buf - 1) > 0 && strstr(buf, "secret")) leaked++;
                close(f2);
            }
            int f3 = openat(dfd, "../../../../canary", O_WRONLY | O_CREAT, 0644);
            if (f3 >= 0) close(f3);
            close(dfd);
        }
    }
    printf("race: %d tries, %s\n", tries, leaked ? "secret LEAKED" : "no leak");
    return 0;
}
