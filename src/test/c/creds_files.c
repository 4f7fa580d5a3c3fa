// File permissions as an unprivileged user: ownership of new files (fsuid/fsgid, setgid
// directories), EACCES on another user's files, access through a supplementary group, chown's
// EPERM cases and the set-id bits it clears, setfsuid, and access(2) with the real ids.
// The saved uid stays 0, so the test can become root again to clean up.
#include "fs_scratch.h"
#include <grp.h>
#include <sys/fsuid.h>

static void owner(const char *p) {
    struct stat st;
    if (lstat(p, &st) != 0) printf("%s: %s\n", p, errname(errno));
    else printf("%s: mode %o uid %d gid %d\n", p, st.st_mode & 07777, st.st_uid, st.st_gid);
}

static void try_open(const char *p, int flags) {
    int fd = open(p, flags);
    printf("open(%s, %s): %s\n", p, flags == O_RDONLY ? "O_RDONLY" : flags == O_WRONLY ? "O_WRONLY" : "O_RDWR",
           fd >= 0 ? "ok" : errname(errno));
    if (fd >= 0) close(fd);
}

static void make(const char *p, int mode, int uid, int gid) {
    close(open(p, O_CREAT | O_WRONLY, 0600));
    chown(p, uid, gid);
    chmod(p, mode);
}

int main(void) {
    scratch_enter();
    umask(0);
    // As root: the scene.
    chmod(".", 0777);
    make("secret", 0600, 0, 0);
    make("shared", 0640, 0, 2000);
    make("others", 0604, 0, 0);
    make("mine", 06755, 1000, 1000);
    make("mine_nox", 02644, 1000, 1000);
    make("mine_gx", 02654, 1000, 1000);
    make("root_suid", 04755, 0, 0);
    make("mine_other_group", 02644, 1000, 4000);
    make("mine_other_group2", 0644, 1000, 4000);
    mkdir("setgid_dir", 02777);
    chown("setgid_dir", 0, 3000);
    chmod("setgid_dir", 02777);
    mkdir("closed", 0700);
    mkdir("member_dir", 02777);
    chown("member_dir", 0, 2000);
    chmod("member_dir", 02777);

    gid_t g[] = {2000};
    SHOW_ERR(syscall(SYS_setgroups, 1, g));
    SHOW_ERR(syscall(SYS_setresgid, 1000, 1000, 0));
    SHOW_ERR(syscall(SYS_setresuid, 1000, 1000, 0));

    // New files belong to fsuid/fsgid; in a setgid directory to its group.
    close(open("new", O_CREAT | O_WRONLY, 0644));
    owner("new");
    mkdir("newdir", 0755);
    owner("newdir");
    close(open("setgid_dir/f", O_CREAT | O_WRONLY, 0644));
    owner("setgid_dir/f");
    mkdir("setgid_dir/d", 0755);
    owner("setgid_dir/d");
    // A group-executable S_ISGID file in a setgid directory keeps the bit only for a member.
    close(open("setgid_dir/sg", O_CREAT | O_WRONLY, 02755));
    owner("setgid_dir/sg");
    close(open("setgid_dir/sg_nox", O_CREAT | O_WRONLY, 02745));
    owner("setgid_dir/sg_nox");
    SHOW_ERR(mknod("setgid_dir/node", S_IFREG | 02770, 0));
    owner("setgid_dir/node");
    close(open("member_dir/sg", O_CREAT | O_WRONLY, 02755));
    owner("member_dir/sg");
    close(open("sg_plain", O_CREAT | O_WRONLY, 02755));
    owner("sg_plain");
    symlink("new", "link");
    struct stat st;
    lstat("link", &st);
    printf("link: uid %d gid %d\n", st.st_uid, st.st_gid);

    try_open("secret", O_RDONLY);
    try_open("shared", O_RDONLY);
    try_open("shared", O_WRONLY);
    try_open("others", O_RDONLY);
    try_open("others", O_RDWR);
    SHOW_ERR(open("closed/x", O_CREAT | O_WRONLY, 0644));
    SHOW_ERR(mkdir("closed/d", 0755));
    SHOW_ERR(unlink("secret"));   // the directory is 0777, not sticky: allowed
    SHOW_ERR(chmod("others", 0666));
    SHOW_ERR(mknod("node", S_IFCHR | 0600, 0x0103));
    SHOW_ERR(access("shared", R_OK));
    SHOW_ERR(access("shared", W_OK));

    // chown: no giving away, group only to one's own groups.
    SHOW_ERR(chown("new", 0, -1));
    SHOW_ERR(chown("new", 1000, -1));
    SHOW_ERR(chown("new", -1, 2000));
    owner("new");
    SHOW_ERR(chown("new", -1, 3000));
    SHOW_ERR(chown("others", -1, 1000));
    SHOW_ERR(chown("others", 0, -1));
    SHOW_ERR(chown("others", -1, -1));
    SHOW_ERR(chown("mine", -1, -1));
    owner("mine");
    SHOW_ERR(chown("mine_nox", -1, -1));
    owner("mine_nox");
    SHOW_ERR(chown("mine_gx", -1, 2000));
    owner("mine_gx");
    SHOW_ERR(chown("root_suid", -1, -1));   // clearing S_ISUID is a mode change: owner only
    owner("root_suid");
    SHOW_ERR(chown("mine_other_group", -1, -1));   // not in group 4000: S_ISGID goes
    owner("mine_other_group");
    SHOW_ERR(chmod("mine_other_group2", 02644));   // likewise for chmod
    owner("mine_other_group2");
    SHOW_ERR(chown("mine_other_group2", -1, 4000));   // the current group, even if not one's own
    SHOW_ERR(chmod("mine_nox", 02644));
    owner("mine_nox");
    SHOW_ERR(chmod("new", 02644));   // not in group 2000? it is: the bit stays
    owner("new");
    SHOW_ERR(chown("new", -1, 1000));
    SHOW_ERR(chmod("new", 02644));
    owner("new");

    // setfsuid: back to fs root while euid stays 1000; the saved uid 0 allows it.
    SHOW_RET(setfsuid(0));
    try_open("shared", O_WRONLY);
    close(open("by_fsroot", O_CREAT | O_WRONLY, 0644));
    owner("by_fsroot");
    SHOW_ERR(access("shared", W_OK));   // access uses the real uid 1000
    SHOW_ERR(faccessat(AT_FDCWD, "shared", W_OK, AT_EACCESS));
    SHOW_ERR(chown("by_fsroot", 5, 5));  // CAP_CHOWN follows fsuid
    owner("by_fsroot");
    SHOW_RET(setfsuid(1000));
    try_open("shared", O_WRONLY);

    // Real uid 0, effective 1000: access(2) checks as root, open as 1000.
    SHOW_ERR(syscall(SYS_setresuid, 0, 1000, 0));
    SHOW_ERR(access("shared", W_OK));
    SHOW_ERR(faccessat(AT_FDCWD, "shared", W_OK, AT_EACCESS));
    try_open("shared", O_WRONLY);

    // Root again, to clean up.
    SHOW_ERR(syscall(SYS_setresuid, 0, 0, 0));
    try_open("shared", O_WRONLY);
    scratch_leave();
    return 0;
}
