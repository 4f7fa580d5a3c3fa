// AF_NETLINK / NETLINK_ROUTE: socket(2)'s checks, bind/autobind/getsockname (the first
// socket's port id is the pid, a second one gets a negative id), bind's errors, raw
// RTM_GETLINK/RTM_GETADDR/RTM_GETROUTE/RTM_GETRULE dumps and RTM_GETLINK by index (only lo is
// shown, as the host has other interfaces), NLMSG_DONE with its int 0, NLMSG_ERROR (EOPNOTSUPP
// for an unknown type, ENODEV, EBUSY for a second dump while one runs, EPERM for a change asked
// by a non-root child), NLM_F_ACK, NETLINK_CAP_ACK, MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT/EAGAIN,
// ENODATA, poll and epoll readiness, a receive blocked until another thread's request is
// answered, the SOL_NETLINK options and memberships, SO_PASSCRED's credentials of the kernel and
// NETLINK_PKTINFO's control message, read/write, connect, and libc's getifaddrs, if_nametoindex
// and if_nameindex (lo only).
// cflags: -pthread
#include "jux_test.h"
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

// The kernel's netlink structures, spelt out here: musl's build has no linux/ headers.
struct nl_addr { uint16_t family, pad; uint32_t pid, groups; };
struct nl_hdr { uint32_t len; uint16_t type, flags; uint32_t seq, pid; };
struct nl_err { int32_t error; struct nl_hdr msg; };
struct if_info { uint8_t family, pad; uint16_t type; int32_t index; uint32_t flags, change; };
struct ifa_msg { uint8_t family, prefixlen, flags, scope; uint32_t index; };
struct rt_msg { uint8_t family, dst_len, src_len, tos, table, protocol, scope, type; uint32_t flags; };
struct rt_attr { uint16_t len, type; };

enum { NETLINK_ROUTE = 0, SOL_NETLINK_ = 270, NETLINK_PKTINFO_ = 3, NETLINK_CAP_ACK_ = 10, NETLINK_EXT_ACK_ = 11,
       NETLINK_GET_STRICT_CHK_ = 12 };
enum { NOOP = 1, ERROR = 2, DONE = 3, NEWLINK = 16, GETLINK = 18, NEWADDR = 20, GETADDR = 22, NEWROUTE = 24, GETROUTE = 26,
       NEWRULE = 32, GETRULE = 34 };
enum { NETLINK_ADD_MEMBERSHIP_ = 1, NETLINK_DROP_MEMBERSHIP_ = 2, NETLINK_LIST_MEMBERSHIPS_ = 9 };
enum { F_REQUEST = 1, F_MULTI = 2, F_ACK = 4, F_DUMP = 0x300 };
#define ALIGN4(n) (((n) + 3) & ~3u)

static uint32_t seq = 100;
static unsigned char buf[65536];

static int nl_socket(void) {
    return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

static uint32_t port_of(int s) {
    struct nl_addr a;
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    return a.pid;
}

/** Sends one request: a header of {@code type} and {@code flags} and {@code body}; returns its sequence number. */
static uint32_t request(int s, int type, int flags, const void *body, size_t len) {
    unsigned char req[256];
    struct nl_hdr *h = (struct nl_hdr *)req;
    memset(req, 0, sizeof req);
    h->len = sizeof *h + len;
    h->type = type;
    h->flags = flags;
    h->seq = ++seq;
    memcpy(req + sizeof *h, body, len);
    struct nl_addr kernel = {.family = AF_NETLINK};
    long n = sendto(s, req, h->len, 0, (struct sockaddr *)&kernel, sizeof kernel);
    if (n != (long)h->len) printf("sendto: %ld %s\n", n, errname(errno));
    return h->seq;
}

static const char *hex(const unsigned char *p, int n) {
    static char out[128];
    for (int i = 0; i < n && i < 60; i++) sprintf(out + 2 * i, "%02x", p[i]);
    if (n == 0) out[0] = 0;
    return out;
}

static const char *ip(int family, const void *p) {
    static char out[64];
    inet_ntop(family, p, out, sizeof out);
    return out;
}

static void print_link(struct nl_hdr *h) {
    struct if_info *i = (struct if_info *)(h + 1);
    printf("  link index %d type %u flags %#x change %#x\n", i->index, i->type, i->flags, i->change);
    for (struct rt_attr *a = (struct rt_attr *)(i + 1); (unsigned char *)a < (unsigned char *)h + h->len;
         a = (struct rt_attr *)((unsigned char *)a + ALIGN4(a->len))) {
        unsigned char *v = (unsigned char *)(a + 1);
        switch (a->type) {
            case 3: printf("   IFLA_IFNAME %s\n", (char *)v); break;
            case 4: printf("   IFLA_MTU %u\n", *(uint32_t *)v); break;
            case 13: printf("   IFLA_TXQLEN %u\n", *(uint32_t *)v); break;
            case 16: printf("   IFLA_OPERSTATE %u\n", *v); break;
            case 1: printf("   IFLA_ADDRESS %s\n", hex(v, a->len - 4)); break;
            case 2: printf("   IFLA_BROADCAST %s\n", hex(v, a->len - 4)); break;
            case 6: printf("   IFLA_QDISC %s\n", (char *)v); break;
        }
    }
}

static void print_addr(struct nl_hdr *h) {
    struct ifa_msg *m = (struct ifa_msg *)(h + 1);
    printf("  addr family %u prefix %u flags %#x scope %u index %u\n", m->family, m->prefixlen, m->flags, m->scope, m->index);
    for (struct rt_attr *a = (struct rt_attr *)(m + 1); (unsigned char *)a < (unsigned char *)h + h->len;
         a = (struct rt_attr *)((unsigned char *)a + ALIGN4(a->len))) {
        unsigned char *v = (unsigned char *)(a + 1);
        switch (a->type) {
            case 1: printf("   IFA_ADDRESS %s\n", ip(m->family, v)); break;
            case 2: printf("   IFA_LOCAL %s\n", ip(m->family, v)); break;
            case 3: printf("   IFA_LABEL %s\n", (char *)v); break;
            case 8: printf("   IFA_FLAGS %#x\n", *(uint32_t *)v); break;
        }
    }
}

static void print_route(struct nl_hdr *h) {
    struct rt_msg *r = (struct rt_msg *)(h + 1);
    int oif = 0;
    char dst[64] = "-", src[64] = "-";
    uint32_t table = 0;
    for (struct rt_attr *a = (struct rt_attr *)(r + 1); (unsigned char *)a < (unsigned char *)h + h->len;
         a = (struct rt_attr *)((unsigned char *)a + ALIGN4(a->len))) {
        unsigned char *v = (unsigned char *)(a + 1);
        switch (a->type) {
            case 1: strcpy(dst, ip(r->family, v)); break;
            case 7: strcpy(src, ip(r->family, v)); break;
            case 4: oif = *(int *)v; break;
            case 15: table = *(uint32_t *)v; break;
        }
    }
    if (oif != 1) return;
    printf("  route family %u dst %s/%u src %s table %u/%u protocol %u scope %u type %u\n", r->family, dst, r->dst_len, src,
           r->table, table, r->protocol, r->scope, r->type);
}

static void print_rule(struct nl_hdr *h) {
    struct rt_msg *r = (struct rt_msg *)(h + 1); // struct fib_rule_hdr has the same layout
    uint32_t priority = 0;
    for (struct rt_attr *a = (struct rt_attr *)(r + 1); (unsigned char *)a < (unsigned char *)h + h->len;
         a = (struct rt_attr *)((unsigned char *)a + ALIGN4(a->len)))
        if (a->type == 6) priority = *(uint32_t *)(a + 1);
    printf("  rule family %u table %u action %u priority %u\n", r->family, r->table, r->type, priority);
}

/**
 * Reads replies to {@code want} until NLMSG_DONE (a dump), an NLMSG_ERROR or, for a single reply,
 * its one message; prints lo's objects and what the headers say.
 */
static void replies(int s, uint32_t want, int dump) {
    uint32_t port = port_of(s);
    int bad_header = 0, not_multi = 0, messages = 0;
    for (;;) {
        struct nl_addr from;
        struct iovec io = {buf, sizeof buf};
        struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &io, .msg_iovlen = 1};
        long n = recvmsg(s, &mh, MSG_DONTWAIT);
        if (n < 0) {
            printf("  recvmsg: %s\n", errname(errno));
            return;
        }
        if (from.family != AF_NETLINK || from.pid != 0 || mh.msg_namelen != sizeof from || mh.msg_flags) printf("  odd source or flags\n");
        for (struct nl_hdr *h = (struct nl_hdr *)buf; (unsigned char *)h < buf + n;
             h = (struct nl_hdr *)((unsigned char *)h + ALIGN4(h->len))) {
            if (h->seq != want || h->pid != port) bad_header++;
            if (dump && h->type != ERROR && !(h->flags & F_MULTI)) not_multi++;
            if (h->type == DONE) {
                printf("  NLMSG_DONE len %u payload %d, some messages %s, bad headers %d, not multi %d\n", h->len, *(int *)(h + 1),
                       messages > 0 ? "yes" : "no", bad_header, not_multi);
                return;
            }
            if (h->type == ERROR) {
                struct nl_err *e = (struct nl_err *)(h + 1);
                printf("  NLMSG_ERROR %s len %u flags %#x echoed type %u seq ok %s, bad headers %d\n",
                       e->error ? errname(-e->error) : "0 (ack)", h->len, h->flags, e->msg.type,
                       e->msg.seq == want ? "yes" : "no", bad_header);
                if (e->error || !(h->flags & 0x100 /* NLM_F_CAPPED */) || messages == 0) return;
                continue;
            }
            messages++;
            if (h->type == NEWLINK && ((struct if_info *)(h + 1))->index == 1) print_link(h);
            if (h->type == NEWADDR && ((struct ifa_msg *)(h + 1))->index == 1) print_addr(h);
            if (h->type == NEWROUTE) print_route(h);
            if (h->type == NEWRULE) print_rule(h);
        }
        if (!dump) {
            // One reply datagram read; an ACK, if asked for, is the next one.
            struct pollfd p = {s, POLLIN, 0};
            if (poll(&p, 1, 0) == 0) {
                printf("  single reply, %d messages, bad headers %d\n", messages, bad_header);
                return;
            }
        }
    }
}

static void test_create(void) {
    printf("== socket\n");
    SHOW_ERR(socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
    SHOW_ERR(socket(AF_NETLINK, SOCK_SEQPACKET, NETLINK_ROUTE));
    SHOW_ERR(socket(AF_NETLINK, SOCK_RAW, 32));
    SHOW_ERR(socket(AF_NETLINK, SOCK_RAW, -1));
    int s = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    printf("SOCK_DGRAM works: %s\n", s >= 0 ? "yes" : "no");
    int v;
    socklen_t l = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &l);
    printf("SO_TYPE %d", v);
    getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &l);
    printf(" SO_DOMAIN %d", v);
    getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &l);
    printf(" SO_PROTOCOL %d\n", v);
    close(s);
}

static void test_bind(void) {
    printf("== bind\n");
    int a = nl_socket(), b = nl_socket(), c = nl_socket();
    struct nl_addr n;
    socklen_t l = sizeof n;
    memset(&n, 0xff, sizeof n);
    SHOW_ERR(getsockname(a, (struct sockaddr *)&n, &l));
    printf("unbound: len %u family %u pid %u groups %u\n", l, n.family, n.pid, n.groups);
    struct nl_addr any = {.family = AF_NETLINK};
    struct nl_addr inet = {.family = AF_INET};
    SHOW_ERR(bind(a, (struct sockaddr *)&inet, sizeof inet));
    SHOW_ERR(bind(a, (struct sockaddr *)&any, sizeof any - 1));
    SHOW_ERR(bind(a, (struct sockaddr *)&any, sizeof any));
    l = sizeof n;
    SHOW_ERR(getsockname(a, (struct sockaddr *)&n, &l));
    printf("first socket: len %u family %u pid is getpid(): %s\n", l, n.family, n.pid == (uint32_t)getpid() ? "yes" : "no");
    SHOW_ERR(bind(a, (struct sockaddr *)&any, sizeof any));
    struct nl_addr other = {.family = AF_NETLINK, .pid = 12345};
    SHOW_ERR(bind(a, (struct sockaddr *)&other, sizeof other));
    struct nl_addr mine = {.family = AF_NETLINK, .pid = port_of(a)};
    SHOW_ERR(bind(a, (struct sockaddr *)&mine, sizeof mine));
    SHOW_ERR(bind(c, (struct sockaddr *)&mine, sizeof mine));
    close(c);
    c = nl_socket();
    SHOW_ERR(bind(b, (struct sockaddr *)&any, sizeof any));
    int32_t pb = (int32_t)port_of(b);
    printf("second socket: pid differs %s, negative %s\n", pb != getpid() ? "yes" : "no", pb < 0 ? "yes" : "no");
    // A send autobinds an unbound socket.
    uint32_t before = port_of(c);
    struct if_info ifi = {0};
    request(c, GETLINK, F_REQUEST | F_DUMP, &ifi, sizeof ifi);
    printf("send autobinds: before %u, after nonzero %s\n", before, port_of(c) != 0 ? "yes" : "no");
    replies(c, seq, 1);
    close(a);
    close(b);
    close(c);
    // The pid is free again once the first socket is closed.
    int d = nl_socket();
    SHOW_ERR(bind(d, (struct sockaddr *)&any, sizeof any));
    printf("after close: pid is getpid(): %s\n", port_of(d) == (uint32_t)getpid() ? "yes" : "no");
    close(d);
}

static void test_dumps(int s) {
    printf("== RTM_GETLINK dump\n");
    struct if_info ifi = {0};
    struct pollfd p = {s, POLLIN | POLLOUT, 0};
    int ready = poll(&p, 1, 0);
    printf("poll before: %d revents %#x\n", ready, p.revents);
    uint32_t q = request(s, GETLINK, F_REQUEST | F_DUMP, &ifi, sizeof ifi);
    ready = poll(&p, 1, 0);
    printf("poll after: %d revents %#x\n", ready, p.revents);
    replies(s, q, 1);
    printf("== RTM_GETADDR dump\n");
    struct ifa_msg ifa = {0};
    replies(s, request(s, GETADDR, F_REQUEST | F_DUMP, &ifa, sizeof ifa), 1);
    printf("== RTM_GETADDR dump, AF_INET6\n");
    ifa.family = AF_INET6;
    replies(s, request(s, GETADDR, F_REQUEST | F_DUMP, &ifa, sizeof ifa), 1);
    printf("== RTM_GETROUTE dump\n");
    struct rt_msg rt = {0};
    replies(s, request(s, GETROUTE, F_REQUEST | F_DUMP, &rt, sizeof rt), 1);
    printf("== RTM_GETROUTE dump, AF_INET6\n");
    rt.family = AF_INET6;
    replies(s, request(s, GETROUTE, F_REQUEST | F_DUMP, &rt, sizeof rt), 1);
    printf("== RTM_GETRULE dump\n");
    rt.family = 0;
    replies(s, request(s, GETRULE, F_REQUEST | F_DUMP, &rt, sizeof rt), 1);
    printf("== two dumps in one datagram\n");
    {
        unsigned char two[64] = {0};
        struct nl_hdr *h = (struct nl_hdr *)two;
        h->len = 32;
        h->type = GETLINK;
        h->flags = F_REQUEST | F_DUMP;
        h->seq = 500;
        memcpy(two + 32, two, 32);
        ((struct nl_hdr *)(two + 32))->seq = 501;
        printf("send: %ld\n", send(s, two, 64, 0));
        int done = 0, busy = 0, other = 0;
        for (;;) {
            long n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0) break;
            for (struct nl_hdr *m = (struct nl_hdr *)buf; (unsigned char *)m < buf + n; m = (struct nl_hdr *)((unsigned char *)m + ALIGN4(m->len))) {
                if (m->type == DONE) done += m->seq;
                else if (m->type == ERROR) busy += ((struct nl_err *)(m + 1))->error == -EBUSY ? (int)m->seq : -1;
                else if (m->seq != 500) other++;
            }
        }
        printf("NLMSG_DONE for %d, EBUSY for %d, others %d\n", done, busy, other);
    }
    printf("== RTM_GETLINK index 1\n");
    ifi.index = 1;
    replies(s, request(s, GETLINK, F_REQUEST, &ifi, sizeof ifi), 0);
    printf("== RTM_GETLINK index 1 with NLM_F_ACK\n");
    replies(s, request(s, GETLINK, F_REQUEST | F_ACK, &ifi, sizeof ifi), 0);
    printf("== RTM_GETLINK index 999999\n");
    ifi.index = 999999;
    replies(s, request(s, GETLINK, F_REQUEST, &ifi, sizeof ifi), 0);
}

static void test_errors(int s) {
    printf("== errors and acks\n");
    struct if_info ifi = {0};
    printf("unknown type:\n");
    replies(s, request(s, 0x3ff, F_REQUEST, &ifi, sizeof ifi), 0);
    printf("NLMSG_NOOP with NLM_F_ACK:\n");
    replies(s, request(s, NOOP, F_REQUEST | F_ACK, NULL, 0), 0);
    printf("NLMSG_NOOP without:\n");
    request(s, NOOP, F_REQUEST, NULL, 0);
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    printf("not a request, with NLM_F_ACK:\n");
    replies(s, request(s, GETLINK, F_ACK, &ifi, sizeof ifi), 0);
    printf("empty socket:\n");
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_OOB));
    SHOW_ERR(send(s, buf, 16, MSG_OOB));
    SHOW_ERR(send(s, buf, 0, 0));
    int pair[2];
    SHOW_ERR(socketpair(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE, pair));
    SHOW_ERR(listen(s, 1));
    SHOW_ERR(accept(s, NULL, NULL));
    SHOW_ERR(shutdown(s, SHUT_RDWR));
    struct nl_addr inet = {.family = AF_INET};
    SHOW_ERR(sendto(s, buf, 16, 0, (struct sockaddr *)&inet, sizeof inet));
    struct nl_addr kernel = {.family = AF_NETLINK};
    SHOW_ERR(sendto(s, buf, 16, 0, (struct sockaddr *)&kernel, sizeof kernel - 1));
    SHOW_ERR(sendto(s, (void *)8, 16, 0, (struct sockaddr *)&kernel, sizeof kernel));
    SHOW_ERR(recv(s, (void *)8, 16, MSG_DONTWAIT));
    // A truncated header is ignored.
    SHOW_RET(send(s, buf, 8, 0));
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    printf("a change asked by a non-root child:\n");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (setuid(65534) != 0) _exit(2);
        struct ifa_msg ifa = {.family = AF_INET, .prefixlen = 8, .index = 1};
        replies(s, request(s, NEWADDR, F_REQUEST | F_ACK, &ifa, sizeof ifa), 0);
        struct if_info link = {.index = 1};
        replies(s, request(s, NEWLINK, F_REQUEST, &link, sizeof link), 0);
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child exit %d\n", WEXITSTATUS(st));
}

static void test_flags(int s) {
    printf("== MSG_PEEK, MSG_TRUNC, read/write\n");
    struct if_info ifi = {.index = 1};
    request(s, GETLINK, F_REQUEST, &ifi, sizeof ifi);
    long peek = recv(s, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
    long full = recv(s, buf, sizeof buf, MSG_DONTWAIT);
    printf("peek == read: %s, size > 100: %s\n", peek == full ? "yes" : "no", full > 100 ? "yes" : "no");
    request(s, GETLINK, F_REQUEST, &ifi, sizeof ifi);
    long t = recv(s, buf, 20, MSG_TRUNC | MSG_PEEK);
    printf("MSG_TRUNC|MSG_PEEK gives the full size: %s\n", t == full ? "yes" : "no");
    struct iovec io = {buf, 20};
    struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1};
    long r = recvmsg(s, &mh, 0);
    printf("short buffer: %ld, MSG_TRUNC %s\n", r, mh.msg_flags & MSG_TRUNC ? "yes" : "no");
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
    // write(2) and read(2) on a connected (default: the kernel) socket.
    unsigned char req[32] = {0};
    struct nl_hdr *h = (struct nl_hdr *)req;
    h->len = sizeof *h + sizeof ifi;
    h->type = GETLINK;
    h->flags = F_REQUEST;
    h->seq = 7;
    memcpy(req + sizeof *h, &ifi, sizeof ifi);
    printf("write: %s\n", write(s, req, h->len) == (long)h->len ? "all" : errname(errno));
    long n = read(s, buf, sizeof buf);
    printf("read: same size %s, type %u seq %u\n", n == full ? "yes" : "no", ((struct nl_hdr *)buf)->type, ((struct nl_hdr *)buf)->seq);
    // Two requests in one datagram: two answers.
    unsigned char two[64] = {0};
    memcpy(two, req, 32);
    memcpy(two + 32, req, 32);
    ((struct nl_hdr *)(two + 32))->seq = 8;
    printf("send two: %ld\n", send(s, two, 64, 0));
    for (int i = 0; i < 2; i++) {
        n = recv(s, buf, sizeof buf, MSG_DONTWAIT);
        printf("answer %d: seq %u\n", i, n > 0 ? ((struct nl_hdr *)buf)->seq : 0);
    }
    SHOW_ERR(recv(s, buf, sizeof buf, MSG_DONTWAIT));
}

static void test_options(int s) {
    printf("== options\n");
    int on = 1, v = -1;
    socklen_t l = sizeof v;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_EXT_ACK_, &on, sizeof on));
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_GET_STRICT_CHK_, &on, sizeof on));
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_CAP_ACK_, &on, sizeof on));
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, 99, &on, sizeof on));
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_PKTINFO_, &on, 2));
    SHOW_ERR(setsockopt(s, SOL_IP, 1, &on, sizeof on));
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_EXT_ACK_, &v, &l));
    printf("NETLINK_EXT_ACK %d len %u\n", v, l);
    l = 2;
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_EXT_ACK_, &v, &l));
    l = sizeof v;
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_PKTINFO_, &v, &l));
    printf("NETLINK_PKTINFO %d\n", v);
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, 99, &v, &l));
    int size = 32768;
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size));
    size = 100000;
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size));
    l = sizeof v;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &l);
    printf("SO_RCVBUF %d\n", v);
    // Groups: memberships by option and by bind, listed by NETLINK_LIST_MEMBERSHIPS.
    uint32_t groups[4] = {0};
    l = sizeof groups;
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &l));
    printf("memberships before: len %u\n", l);
    int g = 0;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_ADD_MEMBERSHIP_, &g, sizeof g));
    g = 1000;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_ADD_MEMBERSHIP_, &g, sizeof g));
    g = 33;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_ADD_MEMBERSHIP_, &g, sizeof g));
    g = 5;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_ADD_MEMBERSHIP_, &g, sizeof g));
    l = sizeof groups;
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &l));
    printf("memberships: len %u %#x %#x\n", l, groups[0], groups[1]);
    struct nl_addr with_groups = {.family = AF_NETLINK, .pid = port_of(s), .groups = 0x3};
    SHOW_ERR(bind(s, (struct sockaddr *)&with_groups, sizeof with_groups));
    struct nl_addr n;
    l = sizeof n;
    getsockname(s, (struct sockaddr *)&n, &l);
    printf("getsockname groups %#x\n", n.groups);
    g = 33;
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_DROP_MEMBERSHIP_, &g, sizeof g));
    l = 4;
    SHOW_ERR(getsockopt(s, SOL_NETLINK_, NETLINK_LIST_MEMBERSHIPS_, groups, &l));
    printf("memberships in 4 bytes: len %u %#x\n", l, groups[0]);
    with_groups.groups = 0;
    SHOW_ERR(bind(s, (struct sockaddr *)&with_groups, sizeof with_groups));
    // Credentials of the kernel's replies with SO_PASSCRED.
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    {
        struct if_info one = {.index = 1};
        request(s, GETLINK, F_REQUEST, &one, sizeof one);
        char control[64];
        struct iovec io = {buf, sizeof buf};
        struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
        recvmsg(s, &mh, MSG_DONTWAIT);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        if (cm && cm->cmsg_type == SCM_CREDENTIALS) {
            struct ucred *u = (struct ucred *)CMSG_DATA(cm);
            printf("SCM_CREDENTIALS pid %d uid %d gid %d\n", u->pid, u->uid, u->gid);
        } else {
            printf("no credentials\n");
        }
        int off = 0;
        setsockopt(s, SOL_SOCKET, SO_PASSCRED, &off, sizeof off);
    }
    // NETLINK_PKTINFO: a SOL_NETLINK control message (the group, 0 for a unicast) before SO_PASSCRED's.
    SHOW_ERR(setsockopt(s, SOL_NETLINK_, NETLINK_PKTINFO_, &on, sizeof on));
    SHOW_ERR(setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
    {
        struct if_info one = {.index = 1};
        request(s, GETLINK, F_REQUEST, &one, sizeof one);
        char control[128];
        struct iovec io = {buf, sizeof buf};
        struct msghdr mh = {.msg_iov = &io, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
        recvmsg(s, &mh, MSG_DONTWAIT);
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm))
            printf("cmsg level %d type %d len %zu first word %u\n", cm->cmsg_level, cm->cmsg_type, (size_t)cm->cmsg_len, *(uint32_t *)CMSG_DATA(cm));
        printf("msg_controllen %zu flags %#x\n", (size_t)mh.msg_controllen, mh.msg_flags);
        request(s, GETLINK, F_REQUEST, &one, sizeof one);
        mh.msg_control = NULL;
        mh.msg_controllen = 0;
        recvmsg(s, &mh, MSG_DONTWAIT);
        printf("without room: flags %#x\n", mh.msg_flags);
        int off = 0;
        setsockopt(s, SOL_NETLINK_, NETLINK_PKTINFO_, &off, sizeof off);
        setsockopt(s, SOL_SOCKET, SO_PASSCRED, &off, sizeof off);
    }
    // With NETLINK_CAP_ACK an error no longer carries the request's payload.
    printf("unknown type, capped:\n");
    struct if_info ifi = {0};
    replies(s, request(s, 0x3ff, F_REQUEST, &ifi, sizeof ifi), 0);
    int off = 0;
    setsockopt(s, SOL_NETLINK_, NETLINK_CAP_ACK_, &off, sizeof off);
    setsockopt(s, SOL_NETLINK_, NETLINK_EXT_ACK_, &off, sizeof off);
}

static void test_connect(void) {
    printf("== connect\n");
    int s = nl_socket();
    struct nl_addr n;
    socklen_t l = sizeof n;
    SHOW_ERR(getpeername(s, (struct sockaddr *)&n, &l));
    printf("peer: len %u family %u pid %u\n", l, n.family, n.pid);
    struct nl_addr kernel = {.family = AF_NETLINK};
    SHOW_ERR(connect(s, (struct sockaddr *)&kernel, sizeof kernel));
    printf("connect autobinds: %s\n", port_of(s) == (uint32_t)getpid() ? "yes" : "no");
    struct sockaddr unspec = {.sa_family = AF_UNSPEC};
    SHOW_ERR(connect(s, &unspec, sizeof unspec));
    struct nl_addr inet = {.family = AF_INET};
    SHOW_ERR(connect(s, (struct sockaddr *)&inet, sizeof inet));
    SHOW_ERR(connect(s, (struct sockaddr *)&kernel, 4));
    close(s);
}

static int waiter_socket;
static void *late_request(void *arg) {
    (void)arg;
    usleep(50000);
    struct if_info ifi = {.index = 1};
    request(waiter_socket, GETLINK, F_REQUEST, &ifi, sizeof ifi);
    return NULL;
}

static void test_blocking(void) {
    printf("== blocking and epoll\n");
    int s = nl_socket();
    struct timeval tv = {0, 20000};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    SHOW_ERR(recv(s, buf, sizeof buf, 0));
    tv.tv_usec = 0;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    waiter_socket = s;
    pthread_t t;
    pthread_create(&t, NULL, late_request, NULL);
    long n = recv(s, buf, sizeof buf, 0);
    printf("blocked recv got the reply: %s\n", n > 0 && ((struct nl_hdr *)buf)->type == NEWLINK ? "yes" : "no");
    pthread_join(t, NULL);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = s}, out;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    printf("epoll empty: %d\n", epoll_wait(ep, &out, 1, 0));
    struct if_info ifi = {.index = 1};
    request(s, GETLINK, F_REQUEST, &ifi, sizeof ifi);
    printf("epoll with a reply: %d events %#x\n", epoll_wait(ep, &out, 1, 0), out.events);
    recv(s, buf, sizeof buf, 0);
    printf("epoll drained: %d\n", epoll_wait(ep, &out, 1, 0));
    close(ep);
    close(s);
}

static int by_family(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_libc(void) {
    printf("== libc\n");
    struct ifaddrs *list;
    SHOW_ERR(getifaddrs(&list));
    char *lines[16];
    int n = 0;
    for (struct ifaddrs *i = list; i; i = i->ifa_next) {
        if (strcmp(i->ifa_name, "lo") != 0 || n == 16) continue;
        char line[256];
        int fam = i->ifa_addr ? i->ifa_addr->sa_family : -1;
        if (fam == AF_INET) {
            char a[64], m[64];
            strcpy(a, ip(AF_INET, &((struct sockaddr_in *)i->ifa_addr)->sin_addr));
            strcpy(m, ip(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr));
            snprintf(line, sizeof line, "lo AF_INET %s netmask %s flags %#x", a, m, i->ifa_flags);
        } else if (fam == AF_INET6) {
            char a[64], m[64];
            strcpy(a, ip(AF_INET6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr));
            strcpy(m, ip(AF_INET6, &((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr));
            snprintf(line, sizeof line, "lo AF_INET6 %s netmask %s flags %#x", a, m, i->ifa_flags);
        } else {
            snprintf(line, sizeof line, "lo family %d flags %#x", fam, i->ifa_flags);
        }
        lines[n++] = strdup(line);
    }
    freeifaddrs(list);
    qsort(lines, n, sizeof *lines, by_family);
    for (int i = 0; i < n; i++) printf("%s\n", lines[i]);
    printf("if_nametoindex(lo) = %u\n", if_nametoindex("lo"));
    struct if_nameindex *names = if_nameindex();
    int found = 0;
    for (struct if_nameindex *p = names; p && p->if_index; p++)
        if (strcmp(p->if_name, "lo") == 0) found = p->if_index;
    printf("if_nameindex has lo at %d\n", found);
    if_freenameindex(names);
}

int main(void) {
    test_create();
    test_bind();
    int s = nl_socket();
    struct nl_addr any = {.family = AF_NETLINK};
    bind(s, (struct sockaddr *)&any, sizeof any);
    test_dumps(s);
    test_errors(s);
    test_flags(s);
    test_options(s);
    close(s);
    test_connect();
    test_blocking();
    test_libc();
    return 0;
}
