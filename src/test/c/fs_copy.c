// sendfile and copy_file_range: offsets (pointer or file offset), counts past the end, to a
// regular file and to a pipe, and the errors man 2 documents, in a scratch directory under /tmp.
#include "fs_scratch.h"
#include <sys/sendfile.h>

#define SHOW_RET2(expr) do { errno = 0; long r_ = (long)(expr); printf("%s = %ld %s\n", #expr, r_, r_ < 0 ? errname(errno) : ""); } while (0)

static void show_file(const char *name) {
    char buf[128] = {0};
    int fd = open(name, O_RDONLY);
    long n = read(fd, buf, sizeof buf - 1);
    printf("%s: %ld '%s'\n", name, n, buf);
    close(fd);
}

int main(void) {
    scratch_enter();
    int src = open("src", O_RDWR | O_CREAT, 0644);
    write(src, "0123456789abcdefghij", 20);
    int dst = open("dst", O_RDWR | O_CREAT, 0644);

    /* sendfile at the file offset moves it; with a pointer it does not. */
    lseek(src, 5, SEEK_SET);
    SHOW_RET2(sendfile(dst, src, NULL, 4));
    SHOW_RET2(lseek(src, 0, SEEK_CUR));
    SHOW_RET2(lseek(dst, 0, SEEK_CUR));
    off_t off = 15;
    SHOW_RET2(sendfile(dst, src, &off, 100));
    printf("off %ld\n", (long)off);
    SHOW_RET2(lseek(src, 0, SEEK_CUR));
    off = 30;
    SHOW_RET2(sendfile(dst, src, &off, 10));
    printf("off %ld\n", (long)off);
    SHOW_RET2(sendfile(dst, src, NULL, 0));
    show_file("dst");

    /* to a pipe */
    int p[2];
    pipe(p);
    off = 0;
    SHOW_RET2(sendfile(p[1], src, &off, 6));
    char buf[64] = {0};
    SHOW_RET2(read(p[0], buf, sizeof buf));
    printf("pipe '%s'\n", buf);

    /* errors */
    int ro = open("src", O_RDONLY), wo = open("dst", O_WRONLY), ap = open("dst", O_WRONLY | O_APPEND);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    SHOW_RET2(sendfile(dst, wo, NULL, 1));
    SHOW_RET2(sendfile(ro, src, NULL, 1));
    SHOW_RET2(sendfile(99, src, NULL, 1));
    SHOW_RET2(sendfile(dst, 99, NULL, 1));
    SHOW_RET2(sendfile(ap, src, NULL, 1));
    SHOW_RET2(sendfile(dst, dir, NULL, 1));
    SHOW_RET2(sendfile(dst, p[0], NULL, 1));
    SHOW_RET2(sendfile(dst, p[0], &off, 1));
    off = -1;
    SHOW_RET2(sendfile(dst, src, &off, 1));
    SHOW_RET2(sendfile(dst, src, (off_t *)8, 1));

    /* copy_file_range */
    int c = open("copy", O_RDWR | O_CREAT, 0644);
    lseek(src, 2, SEEK_SET);
    SHOW_RET2(copy_file_range(src, NULL, c, NULL, 3, 0));
    SHOW_RET2(lseek(src, 0, SEEK_CUR));
    SHOW_RET2(lseek(c, 0, SEEK_CUR));
    loff_t in = 10, out = 8;
    SHOW_RET2(copy_file_range(src, &in, c, &out, 100, 0));
    printf("in %ld out %ld\n", (long)in, (long)out);
    in = 50;
    SHOW_RET2(copy_file_range(src, &in, c, &out, 5, 0));
    printf("in %ld out %ld\n", (long)in, (long)out);
    struct stat st;
    fstat(c, &st);
    printf("copy size %ld\n", (long)st.st_size);
    SHOW_RET2(copy_file_range(src, NULL, c, NULL, 0, 0));
    SHOW_RET2(copy_file_range(src, NULL, c, NULL, 1, 1));
    SHOW_RET2(copy_file_range(wo, NULL, c, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, NULL, ro, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, NULL, ap, NULL, 1, 0));
    SHOW_RET2(copy_file_range(99, NULL, c, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, NULL, 99, NULL, 1, 0));
    SHOW_RET2(copy_file_range(dir, NULL, c, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, NULL, dir, NULL, 1, 0));
    SHOW_RET2(copy_file_range(p[0], NULL, c, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, NULL, p[1], NULL, 1, 0));
    /* overlapping ranges in one file */
    in = 0; out = 4;
    SHOW_RET2(copy_file_range(src, &in, src, &out, 8, 0));
    in = 0; out = 10;
    SHOW_RET2(copy_file_range(src, &in, src, &out, 8, 0));
    in = 18; out = 10;
    SHOW_RET2(copy_file_range(src, &in, src, &out, 8, 0));
    in = -1;
    SHOW_RET2(copy_file_range(src, &in, c, NULL, 1, 0));
    SHOW_RET2(copy_file_range(src, (loff_t *)8, c, NULL, 1, 0));
    /* from a file of the host's tree (the overlay's lower layer under Jux) */
    int etc = open("/etc/passwd", O_RDONLY), whole = open("whole", O_RDWR | O_CREAT, 0644);
    fstat(etc, &st);
    long sent = sendfile(whole, etc, NULL, 1 << 20);
    CHECK(sent == st.st_size);
    struct stat st2;
    fstat(whole, &st2);
    CHECK(st2.st_size == st.st_size);
    show_file("src");
    show_file("copy");
    scratch_leave();
    return 0;
}
