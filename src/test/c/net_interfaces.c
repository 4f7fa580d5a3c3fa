// The loopback interface through the SIOCGIF* ioctls on AF_INET, AF_INET6 and AF_UNIX sockets:
// lo's index, flags, address, netmask, MTU, hardware type and queue length, SIOCGIFNAME,
// ENODEV for an interface that does not exist, ENOTTY for the address requests outside
// AF_INET, and libc's if_nametoindex/if_indextoname. (Only lo: the host's other interfaces
// are not part of Jux's sandboxed network, so the test never names them.)
#include "jux_test.h"
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

static void query(int s, unsigned long req, const char *what, const char *name) {
    struct ifreq r;
    memset(&r, 0, sizeof r);
    strcpy(r.ifr_name, name);
    errno = 0;
    int rc = ioctl(s, req, &r);
    printf("%-8s %-8s %-7s ", what, name, rc == 0 ? "ok" : errname(errno));
    unsigned char *u = (unsigned char *)&r.ifr_ifru;
    for (int i = 0; i < 16; i++) printf("%02x", u[i]);
    printf("\n");
}

int main(void) {
    int families[] = {AF_INET, AF_INET6, AF_UNIX};
    const char *names[] = {"AF_INET", "AF_INET6", "AF_UNIX"};
    for (int f = 0; f < 3; f++) {
        int s = socket(families[f], SOCK_DGRAM, 0);
        printf("== %s\n", names[f]);
        query(s, SIOCGIFINDEX, "INDEX", "lo");
        query(s, SIOCGIFFLAGS, "FLAGS", "lo");
        query(s, SIOCGIFADDR, "ADDR", "lo");
        query(s, SIOCGIFNETMASK, "NETMASK", "lo");
        query(s, SIOCGIFBRDADDR, "BRDADDR", "lo");
        query(s, SIOCGIFDSTADDR, "DSTADDR", "lo");
        query(s, SIOCGIFMTU, "MTU", "lo");
        query(s, SIOCGIFHWADDR, "HWADDR", "lo");
        query(s, SIOCGIFTXQLEN, "TXQLEN", "lo");
        query(s, SIOCGIFINDEX, "INDEX", "nosuch0");
        query(s, SIOCGIFFLAGS, "FLAGS", "nosuch0");
        query(s, SIOCGIFMTU, "MTU", "nosuch0");
        struct ifreq r;
        memset(&r, 0, sizeof r);
        r.ifr_ifindex = 1;
        SHOW_ERR(ioctl(s, SIOCGIFNAME, &r));
        printf("index 1 is %s\n", r.ifr_name);
        r.ifr_ifindex = 123456;
        SHOW_ERR(ioctl(s, SIOCGIFNAME, &r));
        SHOW_ERR(ioctl(s, SIOCGIFINDEX, (void *)8));
        close(s);
    }
    char buf[IF_NAMESIZE];
    printf("if_nametoindex(lo) = %u\n", if_nametoindex("lo"));
    printf("if_nametoindex(nosuch0) = %u\n", if_nametoindex("nosuch0"));
    printf("if_indextoname(1) = %s\n", if_indextoname(1, buf) ? buf : errname(errno));
    return 0;
}
