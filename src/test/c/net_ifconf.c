// The interface list outside netlink: SIOCGIFCONF (the size asked with no buffer, lo's entry
// with 127.0.0.1, a buffer too small for one entry, a bad buffer: EFAULT) on inet and unix
// sockets, and /proc/net (a link to self/net): lo's line of /proc/net/dev, /proc/net/if_inet6
// and /proc/net/route's header. Only lo is printed: the host has other interfaces.
#include "jux_test.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void ifconf(int s) {
    struct ifconf c = {0};
    SHOW_ERR(ioctl(s, SIOCGIFCONF, &c));
    printf("size asked: a multiple of one entry %s, at least one %s\n", c.ifc_len % sizeof(struct ifreq) == 0 ? "yes" : "no",
           c.ifc_len >= (int)sizeof(struct ifreq) ? "yes" : "no");
    struct ifreq reqs[16];
    c.ifc_len = sizeof reqs;
    c.ifc_req = reqs;
    SHOW_ERR(ioctl(s, SIOCGIFCONF, &c));
    for (int i = 0; i < c.ifc_len / (int)sizeof(struct ifreq); i++) {
        if (strcmp(reqs[i].ifr_name, "lo") != 0) continue;
        struct sockaddr_in *a = (struct sockaddr_in *)&reqs[i].ifr_addr;
        char ip[32];
        inet_ntop(AF_INET, &a->sin_addr, ip, sizeof ip);
        printf("lo: family %d address %s\n", a->sin_family, ip);
    }
    c.ifc_len = sizeof(struct ifreq) - 1;
    SHOW_ERR(ioctl(s, SIOCGIFCONF, &c));
    printf("too small: ifc_len %d\n", c.ifc_len);
    c.ifc_len = sizeof reqs;
    c.ifc_req = (struct ifreq *)8;
    SHOW_ERR(ioctl(s, SIOCGIFCONF, &c));
    SHOW_ERR(ioctl(s, SIOCGIFCONF, (void *)8));
}

static void lo_lines(const char *path, int header_lines) {
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: %s\n", path, errname(errno));
        return;
    }
    char line[512];
    for (int n = 0; fgets(line, sizeof line, f); n++) {
        if (n < header_lines) {
            printf("%s header: %s", path, line);
            continue;
        }
        char name[32];
        if (strstr(path, "dev")) {
            unsigned long long v[16];
            int got = sscanf(line, " %31[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", name, &v[0],
                             &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14], &v[15]);
            if (strcmp(name, "lo") == 0) printf("%s: lo with %d counters\n", path, got - 1);
        } else if (strlen(line) > 8 && strcmp(line + strlen(line) - 4, " lo\n") == 0) {
            printf("%s: %s", path, line);
        }
    }
    fclose(f);
}

int main(void) {
    int families[] = {AF_INET, AF_INET6, AF_UNIX};
    for (int i = 0; i < 3; i++) {
        int s = socket(families[i], SOCK_DGRAM, 0);
        printf("== family %d\n", families[i]);
        ifconf(s);
        close(s);
    }
    char target[64] = {0};
    readlink("/proc/net", target, sizeof target - 1);
    printf("/proc/net -> %s\n", target);
    lo_lines("/proc/net/dev", 2);
    lo_lines("/proc/net/if_inet6", 0);
    lo_lines("/proc/self/net/route", 1);
    return 0;
}
