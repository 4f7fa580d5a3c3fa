// uname(2): the fields a program looks at. The release must look like a Linux version (glibc
// and others parse it), not necessarily the host's.
#include "jux_test.h"
#include <ctype.h>
#include <sys/utsname.h>

int main(void) {
    struct utsname u;
    SHOW_ERR(uname(&u));
    printf("sysname = '%s'\n", u.sysname);
    printf("machine = '%s'\n", u.machine);
    CHECK(isdigit((unsigned char)u.release[0]));
    CHECK(strchr(u.release, '.') != NULL);
    CHECK(u.nodename[0] != '\0');
    CHECK(u.version[0] != '\0');
    CHECK(memchr(u.domainname, '\0', sizeof u.domainname) != NULL);
    return 0;
}
