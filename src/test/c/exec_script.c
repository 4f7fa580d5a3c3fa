// #! scripts: the program writes scripts under /tmp whose interpreter is itself
// (/proc/self/exe) and runs them one after the other, each stage in a new image: the optional
// argument (one string, spaces kept, blanks trimmed), the script path as given (absolute,
// relative, /dev/fd/N/name for execveat), nesting up to five scripts deep (ELOOP at six),
// a line cut at 255 bytes, and ENOENT for a script named through a close-on-exec dirfd.
#include "jux_test.h"
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>

static char dir[64];
static char path[160];
static char *env[3];

static const char *in_dir(const char *name) {
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void make(const char *name, const char *content) {
    int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content)) printf("cannot make %s\n", name);
    close(fd);
}

/* Prints a string with the scratch directory shown as <dir>. */
static void show(const char *what, const char *s) {
    size_t n = strlen(dir);
    if (strncmp(s, dir, n) == 0) printf("%s: <dir>%s\n", what, s + n);
    else printf("%s: %s\n", what, s);
}

static void show_image(int argc, char **argv) {
    printf("argc %d\n", argc);
    char name[32];
    for (int i = 0; i < argc; i++) {
        snprintf(name, sizeof name, "argv[%d]", i);
        if (strlen(argv[i]) > 40) printf("%s: %zu bytes starting %.12s\n", name, strlen(argv[i]), argv[i]);
        else show(name, argv[i]);
    }
    show("AT_EXECFN", (const char *)getauxval(AT_EXECFN));
    char comm[32] = "";
    int fd = open("/proc/self/comm", O_RDONLY);
    ssize_t c = read(fd, comm, sizeof comm - 1);
    comm[c > 0 ? c - 1 : 0] = '\0';
    close(fd);
    printf("comm: %s\n", comm);
}

static void run(const char *file, char **args) {
    fflush(stdout);
    execve(file, args, env);
    printf("execve failed: %s\n", errname(errno));
    exit(1);
}

int main(int argc, char **argv) {
    const char *stage = argc >= 2 ? argv[1] : "";
    if (getenv("DIR")) snprintf(dir, sizeof dir, "%s", getenv("DIR"));
    static char dir_var[80];
    snprintf(dir_var, sizeof dir_var, "DIR=%s", dir);
    env[0] = dir_var;
    env[1] = "X=1";

    if (strncmp(stage, "stage-1", 7) == 0) {
        printf("-- a script with an argument, run by its absolute path\n");
        show_image(argc, argv);
        /* Five scripts, each the interpreter of the one before, the last one run by us. */
        for (int i = 1; i <= 5; i++) {
            char line[200], name[16];
            if (i < 5) snprintf(line, sizeof line, "#!%s/nest%d\n", dir, i + 1);
            else snprintf(line, sizeof line, "#!/proc/self/exe stage-2\n");
            snprintf(name, sizeof name, "nest%d", i);
            make(name, line);
        }
        char *args[] = {"nest", "tail", NULL};
        run(in_dir("nest1"), args);
    }
    if (strncmp(stage, "stage-2", 7) == 0) {
        printf("-- five nested scripts\n");
        show_image(argc, argv);
        char line[200];
        snprintf(line, sizeof line, "#!%s/nest1\n", dir);
        make("nest0", line);
        char *args[] = {"nest", NULL};
        SHOW_ERR(execve(in_dir("nest0"), args, env));   /* six deep */
        make("tabs", "#!\t/proc/self/exe\tstage-3\t x  y \t\r\nrest\n");
        SHOW_ERR(chdir(dir));
        char *args3[] = {"tabs", "more", NULL};
        run("./tabs", args3);
    }
    if (strncmp(stage, "stage-3", 7) == 0) {
        printf("-- tabs, a relative path, a carriage return\n");
        show_image(argc, argv);
        /* No newline within the first 256 bytes: the argument is cut at byte 255. */
        char line[400];
        int n = snprintf(line, sizeof line, "#!/proc/self/exe stage-4 ");
        memset(line + n, 'z', 300);
        line[n + 300] = '\0';
        make("long", line);
        char *args[] = {"long", NULL};
        run(in_dir("long"), args);
    }
    if (strncmp(stage, "stage-4", 7) == 0) {
        printf("-- a #! line longer than the buffer\n");
        show_image(argc, argv);
        make("plain", "#!/proc/self/exe stage-5\n");
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        CHECK(dup3(dfd, 20, O_CLOEXEC) == 20);
        char *args[] = {"plain", NULL};
        SHOW_ERR(syscall(SYS_execveat, 20, "plain", args, env, 0));   /* the name dies with the fd */
        CHECK(dup2(dfd, 21) == 21);
        close(dfd);
        close(20);
        fflush(stdout);
        syscall(SYS_execveat, 21, "plain", args, env, 0);
        printf("execveat failed: %s\n", errname(errno));
        return 1;
    }
    if (strncmp(stage, "stage-5", 7) == 0) {
        printf("-- execveat through a dirfd\n");
        show_image(argc, argv);
        const char *names[] = {"nest0", "nest1", "nest2", "nest3", "nest4", "nest5", "tabs", "long", "plain", "first"};
        for (unsigned i = 0; i < sizeof names / sizeof *names; i++) unlink(in_dir(names[i]));
        SHOW_ERR(chdir("/"));
        SHOW_ERR(rmdir(dir));
        return 0;
    }

    snprintf(dir, sizeof dir, "/tmp/jux-exec-script-%d", getpid());
    snprintf(dir_var, sizeof dir_var, "DIR=%s", dir);
    mkdir(dir, 0755);
    make("first", "#!/proc/self/exe   stage-1  with  spaces  \n# a comment\n");
    char *args[] = {"first-argv0", "a b", "", "c", NULL};
    run(in_dir("first"), args);
}
