// mount(2) and umount2(2): tmpfs mounts with options, bind mounts (recursive or not),
// read-only remounts, stacking, busy mounts, MNT_DETACH, MNT_EXPIRE, and the errors man 2
// documents, in a scratch directory. Natively the test runs in its own mount namespace.
#include "fs_scratch.h"
#include <sched.h>
#include <sys/mount.h>

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static void touch(const char *p) {
    int fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0) { write(fd, "hi", 2); close(fd); }
}

int main(void) {
    /* Natively: a private mount namespace, so that nothing reaches the host's mounts. Under
       Jux these calls fail or change nothing; their results are not shown. */
    if (unshare(CLONE_NEWNS) != 0) unshare(CLONE_NEWUSER | CLONE_NEWNS);
    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    scratch_enter();
    mkdir("m", 0755);
    mkdir("b", 0755);
    mkdir("src", 0755);
    touch("src/f");
    struct stat st, here;
    stat(".", &here);

    /* a new tmpfs */
    SHOW_RET(mount("none", "m", "tmpfs", 0, "mode=0710,size=1m"));
    stat("m", &st);
    printf("mode %o, own device %d\n", st.st_mode & 07777, st.st_dev != here.st_dev);
    touch("m/x");
    CHECK(exists("m/x"));
    SHOW_ERR(mount("none", "nope", "tmpfs", 0, NULL));
    SHOW_ERR(mount("none", "m", "nosuchfs", 0, NULL));
    SHOW_ERR(mount("none", "m", NULL, 0, NULL));
    SHOW_ERR(mount("none", "m", "tmpfs", 0, "bogus=1"));
    SHOW_ERR(mount("none", "src/f", "tmpfs", 0, NULL));
    SHOW_ERR(mount("none", "m", (char *)8, 0, NULL));
    SHOW_ERR(mount("none", (char *)8, "tmpfs", 0, NULL));

    /* busy, then unmounted */
    SHOW_ERR(umount2("src", 0));
    SHOW_ERR(umount2("nope", 0));
    SHOW_ERR(umount2("m", 0x100));
    SHOW_ERR(umount2("m", MNT_EXPIRE | MNT_DETACH));
    int fd = open("m/x", O_RDONLY);
    SHOW_ERR(umount2("m", 0));
    close(fd);
    chdir("m");
    SHOW_ERR(umount2("../m", 0));
    chdir("..");
    SHOW_RET(umount2("m", 0));
    CHECK(exists("m/x"));
    SHOW_ERR(umount2("m", 0));

    /* stacking: the second mount hides the first until it goes */
    SHOW_RET(mount("none", "m", "tmpfs", 0, NULL));
    touch("m/one");
    SHOW_RET(mount("none", "m", "tmpfs", MS_RDONLY, NULL));
    CHECK(exists("m/one"));
    SHOW_ERR(open("m/two", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(umount2("m", MNT_EXPIRE));
    SHOW_RET(umount2("m", MNT_EXPIRE));
    CHECK(exists("m/one"));
    SHOW_RET(mount(NULL, "m", NULL, MS_PRIVATE, NULL));
    SHOW_ERR(mount(NULL, "src", NULL, MS_PRIVATE, NULL));
    SHOW_ERR(mount(NULL, "m", NULL, MS_PRIVATE | MS_SHARED, NULL));
    symlink("m", "lm");
    SHOW_ERR(umount2("lm", UMOUNT_NOFOLLOW));
    SHOW_RET(umount2("lm", 0));

    /* bind mounts */
    SHOW_RET(mount("src", "b", NULL, MS_BIND, NULL));
    CHECK(exists("b/f"));
    touch("b/g");
    CHECK(exists("src/g"));
    SHOW_ERR(mount("nope", "b", NULL, MS_BIND, NULL));
    SHOW_ERR(mount("src/f", "m", NULL, MS_BIND, NULL));
    SHOW_ERR(mount("", "b", NULL, MS_BIND, NULL));
    SHOW_RET(mount(NULL, "b", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    SHOW_ERR(open("b/h", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(unlink("b/g"));
    CHECK(access("src/f", W_OK) == 0);
    touch("src/h");
    CHECK(exists("b/h"));
    SHOW_ERR(mount(NULL, "src", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    SHOW_RET(mount(NULL, "b", NULL, MS_REMOUNT | MS_BIND, NULL));
    SHOW_RET(unlink("b/h"));
    /* a file on a file */
    touch("file");
    SHOW_RET(mount("src/f", "file", NULL, MS_BIND, NULL));
    stat("file", &st);
    printf("file size %ld\n", (long)st.st_size);
    SHOW_RET(umount2("file", 0));

    /* recursive or not */
    mkdir("src/sub", 0755);
    SHOW_RET(mount("none", "src/sub", "tmpfs", 0, NULL));
    touch("src/sub/t");
    mkdir("r", 0755);
    mkdir("nr", 0755);
    SHOW_RET(mount("src", "r", NULL, MS_BIND | MS_REC, NULL));
    SHOW_RET(mount("src", "nr", NULL, MS_BIND, NULL));
    CHECK(exists("r/sub/t"));
    CHECK(exists("nr/sub/t"));
    CHECK(exists("b/sub/t"));
    SHOW_ERR(umount2("r", 0));
    SHOW_RET(umount2("r", MNT_DETACH));
    CHECK(exists("r/sub"));
    SHOW_RET(umount2("nr", 0));
    SHOW_RET(umount2("src/sub", 0));
    SHOW_RET(umount2("b", 0));
    scratch_leave();
    return 0;
}
