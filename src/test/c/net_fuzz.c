// Random socket calls on AF_INET/AF_INET6 sockets (socket, bind, listen, accept4, connect,
// sendto, recvfrom, shutdown, options, names, ioctls, close) with good and bad addresses,
// lengths, flags and pointers, all non-blocking: the kernel must answer every one without an
// oops. Only the end is printed: the results themselves may differ in timing from Linux.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
static unsigned long long st = 88172645463325252ULL;
static unsigned long long rnd(void){ st ^= st<<13; st ^= st>>7; st ^= st<<17; return st; }
int main(int argc, char **argv) {
  if (argc > 1) st = atoll(argv[1]);
  signal(SIGPIPE, SIG_IGN);
  /* Ports of our own, so that no other program's socket is ever reached natively. */
  int own = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0), own2 = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in6 any6 = {.sin6_family = AF_INET6};
  struct sockaddr_in any4 = {.sin_family = AF_INET};
  bind(own, (struct sockaddr *)&any6, sizeof any6);
  listen(own, 4);
  bind(own2, (struct sockaddr *)&any4, sizeof any4);
  socklen_t sl = sizeof any6;
  getsockname(own, (struct sockaddr *)&any6, &sl);
  sl = sizeof any4;
  getsockname(own2, (struct sockaddr *)&any4, &sl);
  int p1 = ntohs(any6.sin6_port), p2 = ntohs(any4.sin_port);
  static unsigned char buf[70000];
  int fds[16]; int nf = 0;
  unsigned char addrs[6][32]; int lens[6] = {16, 28, 16, 28, 2, 16};
  memset(addrs, 0, sizeof addrs);
  struct sockaddr_in *a4 = (void*)addrs[0]; a4->sin_family = AF_INET; a4->sin_addr.s_addr = htonl(0x7f000001); a4->sin_port = htons(p1);
  struct sockaddr_in6 *a6 = (void*)addrs[1]; a6->sin6_family = AF_INET6; a6->sin6_addr.s6_addr[15] = 1; a6->sin6_port = htons(p1);
  struct sockaddr_in *z4 = (void*)addrs[2]; z4->sin_family = AF_INET;
  struct sockaddr_in6 *m6 = (void*)addrs[3]; m6->sin6_family = AF_INET6; m6->sin6_addr.s6_addr[10]=0xff; m6->sin6_addr.s6_addr[11]=0xff; m6->sin6_addr.s6_addr[12]=127; m6->sin6_addr.s6_addr[15]=1; m6->sin6_port = htons(p2);
  addrs[4][0] = 0; /* AF_UNSPEC */
  struct sockaddr_in *f4 = (void*)addrs[5]; f4->sin_family = AF_INET; f4->sin_addr.s_addr = htonl(0x7f000002); f4->sin_port = htons(p2);
  long calls[] = {SYS_socket, SYS_bind, SYS_listen, SYS_accept4, SYS_connect, SYS_sendto, SYS_recvfrom, SYS_shutdown, SYS_setsockopt, SYS_getsockopt, SYS_getsockname, SYS_getpeername, SYS_close, SYS_read, SYS_write, SYS_ioctl, SYS_fcntl};
  for (int i = 0; i < 6000; i++) {
    long nr = calls[rnd() % (sizeof calls / sizeof *calls)];
    int fd = nf ? fds[rnd() % nf] : 3;
    int ai = rnd() % 6; void *ad = rnd() % 10 ? (void *)addrs[ai] : (void *)(long)(rnd() % 3 ? 0 : 8);
    long len = rnd() % 8 ? lens[ai] : (long)(rnd() % 200) - 20;
    long r;
    long fl = (rnd() % 4 ? 0x40 /*DONTWAIT*/ : 0) | (rnd() % 8 ? 0 : rnd() & 0x7fff);
    switch (nr) {
    case SYS_socket: r = syscall(nr, rnd()%2 ? AF_INET : AF_INET6, (rnd()%2 ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK, rnd()%5 ? 0 : rnd()%20);
      if (r >= 0) { if (nf < 16) fds[nf++] = r; else { close(fds[0]); fds[0] = r; } } break;
    case SYS_close: if (rnd()%4==0 && nf) { int k = rnd()%nf; close(fds[k]); fds[k] = fds[--nf]; } r = 0; break;
    case SYS_read: r = syscall(nr, fd, buf, rnd()%2 ? 100 : 0); break;
    case SYS_write: r = syscall(nr, fd, buf, rnd()%3 ? 100 : 65536); break;
    case SYS_sendto: r = syscall(nr, fd, buf, rnd()%3 ? 10 : 66000, fl, rnd()%2 ? ad : 0, len); break;
    case SYS_recvfrom: { socklen_t l = rnd()%2 ? 28 : 3; r = syscall(nr, fd, buf, rnd()%3 ? 10 : 0, fl | 0x40, rnd()%2 ? buf+1000 : 0, &l); break; }
    case SYS_setsockopt: { int v = rnd()%3 ? 1 : (int)rnd(); r = syscall(nr, fd, (int[]){0,1,6,17,41,99}[rnd()%6], rnd()%70, rnd()%10 ? (void*)&v : (void*)8, rnd()%5 ? 4 : (int)(rnd()%20)); break; }
    case SYS_getsockopt: { socklen_t l = rnd()%4 ? 4 : (socklen_t)(rnd()%40); r = syscall(nr, fd, (int[]){0,1,6,17,41,99}[rnd()%6], rnd()%70, buf, rnd()%10 ? &l : (void*)8); break; }
    case SYS_ioctl: { int v; r = syscall(nr, fd, (long[]){0x541B, 0x5411, 0x8915, 0x5401, 0x8912}[rnd()%5], rnd()%5 ? (void*)&v : 0); break; }
    case SYS_fcntl: r = syscall(nr, fd, 4, 04000); break;
    case SYS_accept4: r = syscall(nr, fd, rnd()%2 ? buf : 0, rnd()%2 ? (void*)&(socklen_t){16} : 0, rnd()%3 ? 0x800 : rnd()); if (r >= 0) { fcntl(r, 4, 04000); if (nf < 16) fds[nf++] = r; else close(r); } break;
    case SYS_listen: r = syscall(nr, fd, (int)(rnd()%10) - 2); break;
    case SYS_shutdown: r = syscall(nr, fd, (int)(rnd()%5) - 1); break;
    default: r = syscall(nr, fd, ad, nr == SYS_getsockname || nr == SYS_getpeername ? (long)(rnd()%2 ? (void*)&(socklen_t){28} : (void*)8) : len); break;
    }
    (void)r;
  }
  printf("%d random socket calls done\n", 6000);
  return 0;
}
